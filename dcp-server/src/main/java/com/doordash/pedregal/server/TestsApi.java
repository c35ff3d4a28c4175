package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.TestSpecRequest;
import com.doordash.pedregal.model.json.Json;
import io.javalin.Javalin;

/**
 * {@code POST /api/v1/tests}: validates a CoreETL spec on the shared test cluster and answers the report — PASSED or
 * FAILED with findings, schemas, EXPLAIN, lineage, preview, schema diff and cost — without writing anything.
 */
final class TestsApi {
    private final SpecTester tester;

    TestsApi(SpecTester tester) {
        this.tester = requireNonNull(tester, "tester is null");
    }

    void install(Javalin app) {
        app.post("/api/v1/tests", ctx -> ctx.json(tester.test(Json.read(ctx.body(), TestSpecRequest.class),
                RestAuth.caller(ctx))));
    }
}
