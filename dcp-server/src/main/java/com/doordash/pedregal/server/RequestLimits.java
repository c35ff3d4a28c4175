package com.doordash.pedregal.server;

import com.doordash.pedregal.model.ErrorResponse;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlet.FilterHolder;

/**
 * What the REST server accepts before any handler runs, whatever the transfer encoding:
 * <ul>
 *   <li>a request body of at most {@link #MAX_BODY_BYTES}: the body stream itself stops at the limit, so a chunked
 *       upload of any length costs the server at most that much memory before it is answered {@code 413
 *       REQUEST_TOO_LARGE} and the connection is closed;</li>
 *   <li>a body that is JSON: a {@code Content-Type} other than {@code application/json} (or none) is answered {@code
 *       415 UNSUPPORTED_MEDIA_TYPE};</li>
 *   <li>errors Jetty answers itself (a malformed URI such as {@code %00}, headers too large) in the same JSON shape as
 *       every other error.</li>
 * </ul>
 */
final class RequestLimits {
    /** The largest request body: 1 MB. */
    static final int MAX_BODY_BYTES = 1_000_000;
    private static final Set<String> METHODS_WITH_BODIES = Set.of("POST", "PUT", "PATCH");

    private RequestLimits() {
    }

    /** Installs the limits and the JSON error page on a Javalin server being configured. */
    static void install(JavalinConfig javalin) {
        javalin.http.maxRequestSize = MAX_BODY_BYTES;
        JsonErrorHandler errors = new JsonErrorHandler();
        javalin.jetty.modifyServer(server -> server.setErrorHandler(errors));
        javalin.jetty.modifyServletContextHandler(context -> {
            context.setErrorHandler(errors);
            context.addFilter(new FilterHolder(new BodyFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        });
    }

    /** Checks the content type; bounds the body stream. */
    private static final class BodyFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            HttpServletResponse answer = (HttpServletResponse) response;
            if (!METHODS_WITH_BODIES.contains(http.getMethod()) || !http.getRequestURI().startsWith("/api/")) {
                chain.doFilter(request, response);
                return;
            }
            long declared = http.getContentLengthLong();
            if (declared > MAX_BODY_BYTES) {
                refuse(answer, ErrorCode.REQUEST_TOO_LARGE, tooLarge());
                return;
            }
            String type = http.getContentType();
            if (declared != 0 && !isJson(type)) {
                refuse(answer, ErrorCode.UNSUPPORTED_MEDIA_TYPE, (type == null ? "a request body without Content-Type"
                        : "Content-Type " + type) + " is not accepted: send the body as JSON with"
                        + " Content-Type: application/json");
                return;
            }
            chain.doFilter(new BoundedRequest(http), response);
        }

        private static boolean isJson(String type) {
            if (type == null) {
                return false;
            }
            String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
        }
    }

    private static String tooLarge() {
        return "the request body is larger than " + MAX_BODY_BYTES + " bytes, the most this server accepts";
    }

    private static void refuse(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        response.setStatus(code.httpStatus());
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        byte[] body = errorJson(code, message).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String errorJson(ErrorCode code, String message) {
        return Json.write(new ErrorResponse(new ErrorResponse.Error(code.name(), message, null, null)));
    }

    /** A request whose body stream fails with REQUEST_TOO_LARGE once it passes the limit. */
    private static final class BoundedRequest extends HttpServletRequestWrapper {
        private ServletInputStream bounded;

        BoundedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (bounded == null) {
                bounded = new BoundedStream(super.getInputStream());
            }
            return bounded;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }

    private static final class BoundedStream extends ServletInputStream {
        private final ServletInputStream in;
        private long read;

        BoundedStream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // Never ask for more than one byte past the limit: that byte is enough to know the body is too large.
            int n = in.read(buffer, offset, (int) Math.min(length, MAX_BODY_BYTES + 1L - read));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_BODY_BYTES) {
                throw new PlatformException(ErrorCode.REQUEST_TOO_LARGE, tooLarge());
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }

    /** Jetty's own error answers (bad URIs, oversized headers, ...) in the platform's JSON error shape. */
    private static final class JsonErrorHandler extends ErrorHandler {
        @Override
        protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                HttpServletResponse response, int status, String message) throws IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json");
            try (Writer writer = response.getWriter()) {
                writer.write(errorJson(codeOf(status), describe(status, message)));
            }
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString()));
            return ByteBuffer.wrap(errorJson(codeOf(status), describe(status, reason)).getBytes(StandardCharsets.UTF_8));
        }

        private static ErrorCode codeOf(int status) {
            return switch (status) {
                case 404, 405 -> ErrorCode.NOT_FOUND;
                case 413, 431 -> ErrorCode.REQUEST_TOO_LARGE;
                case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
                default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
            };
        }

        private static String describe(int status, String message) {
            String reason = message == null || message.isBlank() ? "HTTP " + status : message;
            return status == 400 ? "malformed request: " + reason : reason;
        }
    }
}
