package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests to the REST API: adds the token, retries what is safe to retry, and turns error answers
 * into exceptions.
 *
 * <p>Only connection failures (refused, reset, no connection within the connect timeout) and 503 answers are
 * retried, with exponential, jittered and capped backoff. Both are safe even for a submit: the server either
 * never got the request or refused it before doing anything (an idempotency key makes it fully safe). Every
 * other answer or failure is final.
 */
final class HttpTransport implements AutoCloseable {
    /** The longest wait between two attempts (unless the initial backoff is longer). */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final String USER_AGENT = "dcp-java-client";
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A 2xx answer. */
    record Answer(int status, String body, String contentType, String request) {
    }

    private final String baseUrl;
    private final String authorization;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final ExecutorService executor;
    private final HttpClient http;

    HttpTransport(String baseUrl, String token, Duration connectTimeout, Duration requestTimeout, int maxRetries,
            Duration initialBackoff) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.authorization = token == null ? null : "Bearer " + token;
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        this.maxRetries = maxRetries;
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dcp-client-http-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** Sends a GET; {@code accept} is the media type asked for. */
    Answer get(String pathAndQuery, String accept) {
        return send("GET", pathAndQuery, null, accept);
    }

    /** Sends a POST of a JSON body. */
    Answer post(String pathAndQuery, String jsonBody) {
        return send("POST", pathAndQuery, jsonBody, "application/json");
    }

    /** Sends a DELETE. */
    Answer delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, null, "application/json");
    }

    private Answer send(String method, String pathAndQuery, String jsonBody, String accept) {
        String request = method + " " + pathAndQuery;
        HttpRequest httpRequest = build(method, pathAndQuery, jsonBody, accept);
        for (int attempt = 1; ; attempt++) {
            boolean mayRetry = attempt <= maxRetries;
            HttpResponse<String> response;
            try {
                response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
            }
            catch (IOException e) {
                if (isConnectionFailure(e)) {
                    if (mayRetry) {
                        pause(attempt, request);
                        continue;
                    }
                    throw new DCPConnectionException("cannot reach " + baseUrl + " for " + request + " after " + attempt
                            + (attempt == 1 ? " attempt: " : " attempts: ") + describe(e), e);
                }
                if (e instanceof HttpTimeoutException) {
                    throw new DCPTimeoutException("no answer from " + baseUrl + " to " + request + " within "
                            + requestTimeout.toMillis() + " ms (not retried: the server may have acted on it)", null, e);
                }
                throw new DCPConnectionException("the connection to " + baseUrl + " failed during " + request + ": "
                        + describe(e), e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DCPClientException("interrupted during " + request, DCPClientException.INTERRUPTED, e);
            }
            int status = response.statusCode();
            if (status == 503 && mayRetry) {
                pause(attempt, request);
                continue;
            }
            if (status < 200 || status > 299) {
                throw ServerError.read(status, response.body(), request, attempt).toException();
            }
            return new Answer(status, response.body(),
                    response.headers().firstValue("Content-Type").orElse(""), request);
        }
    }

    private HttpRequest build(String method, String pathAndQuery, String jsonBody, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(requestTimeout)
                .header("Accept", accept)
                .header("User-Agent", USER_AGENT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (jsonBody == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return builder.build();
    }

    /** Waits before attempt {@code attempt + 1}: exponential from the initial backoff, capped, with jitter. */
    private void pause(int attempt, String request) {
        long nanos = backoff(attempt).toNanos();
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DCPClientException("interrupted while waiting to retry " + request, DCPClientException.INTERRUPTED, e);
        }
    }

    /**
     * The wait after failed attempt {@code attempt} (1 for the first): {@code initialBackoff * 2^(attempt-1)},
     * capped at {@link #MAX_BACKOFF}, of which a random part of up to half is left out so that clients that
     * failed together do not retry together.
     */
    Duration backoff(int attempt) {
        long cap = Math.max(MAX_BACKOFF.toNanos(), initialBackoff.toNanos());
        long delay = initialBackoff.toNanos();
        for (int i = 1; i < attempt && delay < cap; i++) {
            delay = Math.min(cap, delay * 2);
        }
        long half = delay / 2;
        return Duration.ofNanos(delay - half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** Whether {@code e} means the request never reached the server: safe to send again. */
    static boolean isConnectionFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("connection reset")) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong with a connection, for a person: {@code connection refused}, or the JDK's own message. */
    private String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection within " + connectTimeout.toMillis() + " ms";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
