package com.doordash.pedregal.server;

import com.doordash.pedregal.model.auth.Authenticator;
import com.doordash.pedregal.model.auth.Caller;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** Every {@code /api/} request must carry a bearer token; the caller it stands for is kept on the request. */
final class RestAuth {
    private static final String CALLER = "dcp.caller";

    private RestAuth() {
    }

    static void install(Javalin app, Authenticator authenticator) {
        app.before("/api/*", ctx -> ctx.attribute(CALLER, authenticator.authenticate(ctx.header("Authorization"))));
    }

    /** The authenticated caller of this request. */
    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.path());
        }
        return caller;
    }
}
