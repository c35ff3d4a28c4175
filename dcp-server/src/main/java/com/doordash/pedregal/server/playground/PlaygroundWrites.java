package com.doordash.pedregal.server.playground;

import com.doordash.pedregal.model.CoreEtlConfig;
import com.doordash.pedregal.model.SessionSettings;
import com.doordash.pedregal.model.SparkJobConfig;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.manifest.Manifest;
import com.doordash.pedregal.model.manifest.ManifestException;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.spec.TransformationSpec;
import com.doordash.pedregal.model.sql.SqlStatements;
import com.doordash.pedregal.runner.JobRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first wall between a playground run and production, before launch: every sink is redirected into the
 * playground's namespace, and a job that could write elsewhere is refused — custom jars (what they write cannot be
 * checked), SQL transformations that are not queries ({@code INSERT}, {@code MERGE}, DDL, ...), and Spark settings that
 * change catalogs or the write wall itself. The second wall is in the driver (coreetl's DriverWall), armed with the
 * playground's namespace by the runner.
 */
final class PlaygroundWrites {

    private PlaygroundWrites() {
    }

    /** {@code request} with every sink in {@code playground}'s namespace; fails naming the field when it could write elsewhere. */
    static SubmitJobRequest redirect(SubmitJobRequest request, Manifest manifest, Playground playground) {
        List<ManifestException.Problem> problems = new ArrayList<>();
        SparkJobConfig config = request.config();
        if (config.customJar() != null) {
            problems.add(manifest.problem("spec.customJar", "cannot run in playground " + playground.name()
                    + ": what a custom jar writes cannot be checked before launch; playgrounds run CoreETL specs"));
        }
        for (String key : config.sparkConfig().keySet()) {
            // The session settings rule every guard applies (catalogs, warehouses, extensions, ...), and the platform's keys;
            // refused here to name the manifest's line (the submit policy refuses them too).
            if (key.startsWith(DriverConf.PREFIX) || key.startsWith("spark.sql.") && SessionSettings.whyRefused(key).isPresent()) {
                problems.add(manifest.problem("spec.sparkConfig[\"" + key + "\"]", "cannot be set in a playground run:"
                        + " it changes where the job writes"));
            }
        }
        CoreEtlConfig coreEtl = config.coreEtl();
        if (coreEtl == null) {
            Manifest.check(problems);
            return request;
        }
        CoreEtlSpec spec = coreEtl.jobSpec();
        for (int i = 0; i < spec.transformations().size(); i++) {
            TransformationSpec transformation = spec.transformations().get(i);
            int index = i;
            writeVerb(transformation.query()).ifPresent(verb -> problems.add(manifest.problem(
                    "spec.coreEtl.jobSpec.transformations[" + index + "].query",
                    "a playground run may write only to its sinks, which go to " + playground.qualifiedNamespace()
                            + "; this SQL is not a query (" + verb + ")")));
        }
        Map<String, Integer> seen = new HashMap<>();
        List<SinkSpec> sinks = new ArrayList<>();
        for (int i = 0; i < spec.sinks().size(); i++) {
            SinkSpec sink = spec.sinks().get(i);
            Integer earlier = seen.putIfAbsent(sink.table(), i);
            if (earlier != null) {
                problems.add(manifest.problem("spec.coreEtl.jobSpec.sinks[" + i + "].table", "sinks " + earlier + " and " + i
                        + " would both write " + playground.table(sink.table()) + " in the playground"));
            }
            sinks.add(new SinkSpec(sink.type(), JobRunner.PLAYGROUND_CATALOG, playground.namespace(), sink.table(),
                    sink.mode(), sink.partitionBy()));
        }
        Manifest.check(problems);
        CoreEtlSpec redirected = new CoreEtlSpec(spec.sources(), spec.transformations(), sinks);
        return new SubmitJobRequest(request.name(), request.team(), request.user(),
                new SparkJobConfig(config.sparkVersion(), config.jobType(), new CoreEtlConfig(coreEtl.version(), redirected),
                        null, config.resources(), config.sparkConfig(), config.envVars()),
                request.idempotencyKey(), request.callbackUrl(), request.timeoutSeconds());
    }

    /** The statement kind when {@code sql} is not a single query (see {@link SqlStatements}). */
    static Optional<String> writeVerb(String sql) {
        return SqlStatements.writeVerb(sql);
    }
}
