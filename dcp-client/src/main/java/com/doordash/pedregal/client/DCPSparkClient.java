package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The Java client of the DCP Spark REST API: submit Spark jobs, follow them, read their logs and cancel them.
 *
 * <pre>{@code
 * try (DCPSparkClient client = new DCPSparkClient("http://localhost:8080")) {
 *     SubmitJobResponse response = client.submitJob(request);
 *     JobStatus status = client.waitForCompletion(response.getJobId(), Duration.ofMinutes(30));
 * }
 * }</pre>
 *
 * <p><b>Authentication.</b> When a token is set, every request carries {@code Authorization: Bearer <token>}.
 * The token never appears in an exception message, in {@link #toString()} or anywhere else.
 *
 * <p><b>Errors.</b> A failed call throws a {@link DCPClientException} named after what went wrong, such as
 * {@link InvalidRequestException} or {@link JobNotFoundException}; its message holds the server's message.
 *
 * <p><b>Retries.</b> Connection failures (refused, reset, no answer to connect) and {@code 503 Service
 * Unavailable} answers are retried up to {@link Builder#maxRetries(int)} times, waiting from
 * {@link Builder#initialBackoff(Duration)} on, doubling each time (capped at 5 s, with jitter). Nothing else is
 * retried: not other error answers, and not a request that timed out waiting for its answer.
 *
 * <p>A client is safe to share between threads; {@link #close()} it when done.
 */
public final class DCPSparkClient implements AutoCloseable {
    /** The environment variable {@link #DCPSparkClient(String)} takes the token from. */
    public static final String TOKEN_VARIABLE = "DCP_TOKEN";

    private static final String JOBS = "/api/v1/jobs";
    private static final String PLAYGROUNDS = "/api/v1/playgrounds";
    private static final String MANIFESTS = "/api/v1/manifests/";
    private static final String TESTS = "/api/v1/tests";
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(2);

    private final String baseUrl;
    private final String settings;
    private final HttpTransport transport;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A client of the server at {@code baseUrl} (such as {@code http://localhost:8080}) with the default
     * settings, authenticating with the token in the environment variable {@value #TOKEN_VARIABLE} when it is
     * set.
     *
     * @throws IllegalArgumentException when {@code baseUrl} is not an {@code http(s)://} URL
     */
    public DCPSparkClient(String baseUrl) {
        this(environmentToken(builder().baseUrl(baseUrl)));
    }

    private DCPSparkClient(Builder builder) {
        this.baseUrl = Checks.required("baseUrl", builder.baseUrl, "an http:// or https:// URL");
        this.settings = builder.settings();
        this.transport = new HttpTransport(baseUrl, builder.token, builder.connectTimeout, builder.requestTimeout,
                builder.maxRetries, builder.initialBackoff);
    }

    /**
     * A builder of a client, with the defaults: no token, 3 retries from 200 ms on, 10 s to connect and 60 s
     * for an answer.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL of the server, such as {@code http://localhost:8080}. */
    public String getBaseUrl() {
        return baseUrl;
    }

    /**
     * Submits a job ({@code POST /api/v1/jobs}); it then runs on its own, see {@link #getJob(String)} and
     * {@link #waitForCompletion(String, Duration)}.
     *
     * <p>Only connection failures (refused, reset, no connection within the connect timeout) and 503 answers
     * are retried. That is safe: a refused or timed-out connection and a 503 mean the server did nothing with
     * the request, and a reset connection almost always means it was not read. A request that timed out
     * waiting for its answer is not retried, since the job may have been accepted. Set an
     * {@link SubmitJobRequest.Builder#idempotencyKey(String) idempotency key} to make retries, and submitting
     * again after any failure, fully safe: the server then returns the job it already accepted.
     *
     * @throws InvalidRequestException when the server refuses the request, naming the field to blame
     */
    public SubmitJobResponse submitJob(SubmitJobRequest request) {
        requireNonNull(request, "request is null");
        checkOpen();
        return WireFormat.submitResponse(transport.post(JOBS, Json.write(WireFormat.submitRequest(request))));
    }

    /**
     * Creates a playground ({@code POST /api/v1/playgrounds}).
     *
     * @throws ConflictException with code {@code PLAYGROUND_EXISTS} when the caller already has a live playground
     *     of that name in that team
     * @throws InvalidRequestException for a bad name, team or time to live, naming the field
     */
    public Playground createPlayground(PlaygroundRequest request) {
        requireNonNull(request, "request is null");
        checkOpen();
        return WireFormat.playground(transport.post(PLAYGROUNDS, Json.write(WireFormat.playgroundRequest(request))));
    }

    /** The caller's teams' playgrounds, newest first ({@code GET /api/v1/playgrounds}). */
    public List<Playground> listPlaygrounds() {
        checkOpen();
        return WireFormat.playgrounds(transport.get(PLAYGROUNDS, "application/json"));
    }

    /** The playgrounds of {@code team}, newest first ({@code GET /api/v1/playgrounds?team=}). */
    public List<Playground> listPlaygrounds(String team) {
        String path = PLAYGROUNDS + "?team=" + encode(Checks.nonBlank("team", team));
        checkOpen();
        return WireFormat.playgrounds(transport.get(path, "application/json"));
    }

    /**
     * A playground ({@code GET /api/v1/playgrounds/{ref}}).
     *
     * @param ref the playground's id, or the name of one of the caller's own playgrounds
     * @throws PlaygroundNotFoundException when there is no such playground
     */
    public Playground getPlayground(String ref) {
        String path = playgroundPath(ref);
        checkOpen();
        return WireFormat.playground(transport.get(path, "application/json"));
    }

    /**
     * Makes a playground expire {@code ttl} from now ({@code POST /api/v1/playgrounds/{ref}/extend}).
     *
     * @param ttl positive whole seconds; sent in the largest whole unit ({@code 3d}, {@code 90m})
     * @throws PlaygroundNotFoundException when there is no such playground
     */
    public Playground extendPlayground(String ref, Duration ttl) {
        String path = playgroundPath(ref) + "/extend";
        String body = Json.write(Json.mapper().createObjectNode().put("ttl", PlaygroundRequest.wireTtl(PlaygroundRequest.checkTtl(ttl))));
        checkOpen();
        return WireFormat.playground(transport.post(path, body));
    }

    /**
     * Deletes a playground ({@code DELETE /api/v1/playgrounds/{ref}}): drops its tables and cancels its jobs.
     *
     * @throws PlaygroundNotFoundException when there is no such playground
     */
    public DeletedPlayground deletePlayground(String ref) {
        String path = playgroundPath(ref);
        checkOpen();
        return WireFormat.deletedPlayground(transport.delete(path));
    }

    /**
     * Sends a manifest to its plugin ({@code POST /api/v1/manifests/{command}}). The server parses the manifest;
     * a bad one is an {@link InvalidRequestException} with code {@code INVALID_MANIFEST} whose
     * {@link DCPClientException#getServerMessage() server message} starts with {@code file:line:column: }.
     *
     * @throws PlaygroundNotFoundException when the request names an unknown playground
     */
    public ManifestResult manifest(ManifestCommand command, ManifestRequest request) {
        requireNonNull(command, "command is null");
        requireNonNull(request, "request is null");
        checkOpen();
        return WireFormat.manifestResult(command,
                transport.post(MANIFESTS + command.wireName(), Json.write(WireFormat.manifestRequest(request))));
    }

    /**
     * Tests a CoreETL spec on the read-only test cluster ({@code POST /api/v1/tests}) with the default options.
     *
     * @param jobSpecJson the spec as JSON: sources, transformations, sinks
     * @throws InvalidRequestException for a malformed spec
     * @throws ServerException while the test cluster is (re)starting or disabled (503, after the retries)
     */
    public TestReport test(String jobSpecJson) {
        return test(jobSpecJson, null);
    }

    /**
     * Tests a CoreETL spec with options such as {@code {"preview_limit": 5, "sections": {"cost": false}}}; see
     * {@link #test(String)}.
     */
    public TestReport test(String jobSpecJson, String optionsJson) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("job_spec", jsonObject("jobSpecJson", jobSpecJson));
        if (optionsJson != null) {
            body.set("options", jsonObject("optionsJson", optionsJson));
        }
        checkOpen();
        return WireFormat.testReport(transport.post(TESTS, Json.write(body)));
    }

    /**
     * Submits a job given as the REST API's JSON body (as in the README's {@code curl} example), exactly as written;
     * see {@link #submitJob(SubmitJobRequest)}.
     *
     * @throws IllegalArgumentException when {@code requestJson} is not a JSON object
     * @throws InvalidRequestException when the server refuses the request, naming the field to blame
     */
    public SubmitJobResponse submitJobJson(String requestJson) {
        JsonNode body = jsonObject("requestJson", requestJson);
        checkOpen();
        return WireFormat.submitResponse(transport.post(JOBS, Json.write(body)));
    }

    /**
     * The job's status now ({@code GET /api/v1/jobs/{id}}).
     *
     * @throws JobNotFoundException when no job has this id
     */
    public JobStatus getJob(String jobId) {
        String path = jobPath(jobId);
        checkOpen();
        return WireFormat.jobStatus(transport.get(path, "application/json"));
    }

    /** Every job of {@code team}, newest first; see {@link #listJobs(ListJobsRequest)}. */
    public Stream<JobStatus> listJobs(String team) {
        return listJobs(ListJobsRequest.builder().team(team).build());
    }

    /**
     * The jobs {@code request} selects, newest first ({@code GET /api/v1/jobs}). Pages are fetched lazily,
     * one request each, as the stream is consumed; a failure to fetch a page is thrown from the stream's
     * terminal operation.
     */
    public Stream<JobStatus> listJobs(ListJobsRequest request) {
        requireNonNull(request, "request is null");
        checkOpen();
        Iterator<JobStatus> jobs = new PageIterator(request);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(jobs, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /**
     * Cancels the job ({@code DELETE /api/v1/jobs/{id}}); answers once its driver's processes are gone.
     *
     * @throws ConflictException with code {@code JOB_ALREADY_FINISHED} when the job already finished
     * @throws JobNotFoundException when no job has this id
     */
    public CancelJobResponse cancelJob(String jobId) {
        String path = jobPath(jobId);
        checkOpen();
        return WireFormat.cancelResponse(transport.delete(path), jobId);
    }

    /**
     * Cancels the job, recording {@code reason} in its history; see {@link #cancelJob(String)}.
     *
     * @throws ConflictException with code {@code JOB_ALREADY_FINISHED} when the job already finished
     * @throws JobNotFoundException when no job has this id
     */
    public CancelJobResponse cancelJob(String jobId, String reason) {
        String path = jobPath(jobId) + "?reason=" + encode(Checks.nonBlank("reason", reason));
        checkOpen();
        return WireFormat.cancelResponse(transport.delete(path), jobId);
    }

    /**
     * The job's driver log as text: all of it, or its last 8 MiB for a very long log.
     *
     * @throws JobNotFoundException when no job has this id
     */
    public String logs(String jobId) {
        String path = jobPath(jobId) + "/logs";
        checkOpen();
        return WireFormat.logs(transport.get(path, "text/plain"));
    }

    /**
     * The last {@code tailLines} lines (at least 1) of the job's driver log, as text.
     *
     * @throws JobNotFoundException when no job has this id
     */
    public String logs(String jobId, int tailLines) {
        String path = jobPath(jobId) + "/logs?tail=" + Checks.atLeast("tailLines", tailLines, 1);
        checkOpen();
        return WireFormat.logs(transport.get(path, "text/plain"));
    }

    /**
     * Waits until the job reaches a final state and returns that status; whether it succeeded is in
     * {@link JobStatus#getStatus()}. Polls every 200 ms at first, then less often, up to every 2 s.
     *
     * @param timeout how long to wait at most; positive
     * @throws DCPTimeoutException when the job is still not finished after {@code timeout}; it keeps running,
     *     and {@link DCPTimeoutException#getLastStatus()} holds its last status
     * @throws JobNotFoundException when no job has this id
     */
    public JobStatus waitForCompletion(String jobId, Duration timeout) {
        jobPath(jobId);
        Checks.positive("timeout", timeout);
        checkOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration interval = FIRST_POLL;
        while (true) {
            JobStatus status = getJob(jobId);
            if (status.isFinished()) {
                return status;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new DCPTimeoutException("job " + jobId + " did not finish within " + timeout.toMillis()
                        + " ms; it is " + status.getStatus() + " and keeps running", status, null);
            }
            sleep(Math.min(interval.toNanos(), remaining), jobId);
            interval = min(Duration.ofNanos(interval.toNanos() * 3 / 2), LONGEST_POLL);
        }
    }

    /** Releases the client's threads; calls made after this fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            transport.close();
        }
    }

    /** The base URL and the settings; never the token, only whether one is set. */
    @Override
    public String toString() {
        return "DCPSparkClient{" + settings + (closed.get() ? ", closed}" : "}");
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the client is closed");
        }
    }

    private static String jobPath(String jobId) {
        return JOBS + "/" + encode(Checks.nonBlank("jobId", jobId));
    }

    private static String playgroundPath(String ref) {
        return PLAYGROUNDS + "/" + encode(Checks.nonBlank("ref", ref));
    }

    private static JsonNode jsonObject(String path, String json) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(Checks.nonBlank(path, json));
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + ": not JSON: " + e.getOriginalMessage() + " (expected: a JSON object)");
        }
        if (parsed == null || !parsed.isObject()) {
            throw Checks.invalid(path, Checks.quote(json), "a JSON object");
        }
        return parsed;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long nanos, String jobId) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DCPClientException("interrupted while waiting for job " + jobId, DCPClientException.INTERRUPTED, e);
        }
    }

    private static Builder environmentToken(Builder builder) {
        String token = System.getenv(TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            builder.token(token.strip(), TOKEN_VARIABLE);
        }
        return builder;
    }

    /** Walks the pages of a listing, fetching the next one only when the current one is used up. */
    private final class PageIterator implements Iterator<JobStatus> {
        private final String query;
        private Iterator<JobStatus> page = List.<JobStatus>of().iterator();
        private String nextPageToken;
        private boolean lastPage;

        PageIterator(ListJobsRequest request) {
            StringJoiner query = new StringJoiner("&");
            request.getTeam().ifPresent(team -> query.add("team=" + encode(team)));
            request.getStatus().ifPresent(status -> query.add("status=" + status.name()));
            request.getPageSize().ifPresent(size -> query.add("limit=" + size));
            this.query = query.toString();
        }

        @Override
        public boolean hasNext() {
            // A server may answer an empty page that still has a next one.
            while (!page.hasNext() && !lastPage) {
                fetch();
            }
            return page.hasNext();
        }

        @Override
        public JobStatus next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }

        private void fetch() {
            checkOpen();
            StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
            if (!query.isEmpty()) {
                parameters.add(query);
            }
            if (nextPageToken != null) {
                parameters.add("page_token=" + encode(nextPageToken));
            }
            WireFormat.Page fetched = WireFormat.page(transport.get(JOBS + parameters, "application/json"));
            page = new ArrayList<>(fetched.jobs()).iterator();
            lastPage = fetched.nextPageToken() == null || fetched.nextPageToken().equals(nextPageToken);
            nextPageToken = fetched.nextPageToken();
        }
    }

    /**
     * Builds a {@link DCPSparkClient}; each value is checked as it is set.
     *
     * <pre>{@code
     * DCPSparkClient client = DCPSparkClient.builder()
     *     .baseUrl("http://localhost:8080")
     *     .token(System.getenv("DCP_TOKEN"))
     *     .requestTimeout(Duration.ofSeconds(30))
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private String baseUrl;
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(200);

        private Builder() {
        }

        /** The server's base URL, such as {@code http://localhost:8080}; a trailing {@code /} is dropped. */
        public Builder baseUrl(String baseUrl) {
            String url = baseUrl == null ? null : baseUrl.strip();
            if (url == null || !Checks.isHttpUrl(url) || URI.create(url).getQuery() != null || URI.create(url).getFragment() != null) {
                throw Checks.invalid("baseUrl", Checks.quote(baseUrl), "an http:// or https:// URL such as http://localhost:8080");
            }
            if (hasUserInfo(url)) {
                // Not echoed: user info is a credential.
                throw new IllegalArgumentException("baseUrl: a URL with user info (expected: no user info in the URL; use token(...))");
            }
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            this.baseUrl = url;
            return this;
        }

        /**
         * The bearer token sent as {@code Authorization: Bearer <token>} with every request. It is never shown
         * in messages or {@code toString()}.
         */
        public Builder token(String token) {
            return token(token, "the value given");
        }

        private Builder token(String token, String source) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token: " + (token == null ? "null" : "blank") + " (expected: a non-blank token)");
            }
            if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                // The token itself is never shown, not even a bad one.
                throw new IllegalArgumentException("token: " + source + " has spaces or characters outside printable ASCII "
                        + "(expected: a bearer token)");
            }
            this.token = token;
            return this;
        }

        /** How long to wait for a connection to the server, 10 s unless set; positive. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive("connectTimeout", connectTimeout);
            return this;
        }

        /** How long to wait for the answer to a request, 60 s unless set; positive. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive("requestTimeout", requestTimeout);
            return this;
        }

        /** How many times to resend a request after a connection failure or a 503 answer, 3 unless set; 0 or more. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = Checks.atLeast("maxRetries", maxRetries, 0);
            return this;
        }

        /** The wait before the first retry, 200 ms unless set; it doubles with each retry, up to 5 s. */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.notNegative("initialBackoff", initialBackoff);
            return this;
        }

        /** The client; fails when no base URL was set. */
        public DCPSparkClient build() {
            return new DCPSparkClient(this);
        }

        /** The settings; never the token, only whether one is set. */
        @Override
        public String toString() {
            return "DCPSparkClient.Builder{" + settings() + "}";
        }

        private String settings() {
            return "baseUrl=" + baseUrl + ", token=" + (token == null ? "(none)" : "(set)")
                    + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                    + ", maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff;
        }

        private static boolean hasUserInfo(String url) {
            try {
                return new URI(url).getRawUserInfo() != null;
            }
            catch (URISyntaxException e) {
                return false;
            }
        }
    }
}
