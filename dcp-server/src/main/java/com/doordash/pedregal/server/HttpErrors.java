package com.doordash.pedregal.server;

import com.doordash.pedregal.model.ErrorResponse;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become HTTP answers with a JSON error body. */
final class HttpErrors {
    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);
    private static final String ANSWERED = "dcp.error-answered";

    private HttpErrors() {
    }

    static void install(Javalin app) {
        app.exception(PlatformException.class, (e, ctx) -> {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                // Expected while something restarts: the client is told to retry; no stack trace.
                ctx.header("Retry-After", "5");
                log.info("{} {}: 503 {}", ctx.method(), ctx.path(), e.getMessage());
            }
            else if (e.code().httpStatus() >= 500) {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
            }
            if (e.code() == ErrorCode.REQUEST_TOO_LARGE) {
                // The rest of the body is not read: the connection cannot carry another request.
                ctx.header("Connection", "close");
            }
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"dcp\"");
            }
            answer(ctx, e.code(), e.getMessage(), e.field().orElse(null), e);
        });
        app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, switch (e.getStatus()) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> e.getStatus() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        }, e.getMessage(), null, null, e.getStatus()));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName()
                    + " (see the server log)", null, null);
        });
        // Unknown paths and methods answer in the same JSON shape as every other error.
        app.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path(), null, null);
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, ErrorCode.NOT_FOUND, "method " + ctx.method() + " is not allowed on " + ctx.path(), null, null, 405);
            }
        });
    }

    private static void answer(Context ctx, ErrorCode code, String message, String field, PlatformException e) {
        answer(ctx, code, message, field, e, code.httpStatus());
    }

    private static void answer(Context ctx, ErrorCode code, String message, String field, PlatformException e, int status) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).json(new ErrorResponse(new ErrorResponse.Error(code.name(), message, field,
                e == null ? null : e.violations())));
    }
}
