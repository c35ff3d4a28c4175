package com.doordash.pedregal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request bodies are bounded for every transfer encoding, must be JSON, and every error answers in the JSON shape. */
final class RequestLimitsTest {
    private static final long ONE_GIB = 1L << 30;

    @TempDir
    static Path dataDir;
    private static DcpServer server;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir, java.util.Map.of("server.demo-data", "false"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aChunkedGigabyteIsAnsweredAfterTheLimitWithoutWaitingForTheRest() throws Exception {
        Upload upload = chunkedUpload("/api/v1/jobs", ONE_GIB);

        assertThat(upload.response()).startsWith("HTTP/1.1 413");
        JsonNode error = body(upload.response());
        assertThat(error.at("/error/code").asText()).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(error.at("/error/message").asText())
                .isEqualTo("the request body is larger than 1000000 bytes, the most this server accepts");
        // The answer came while the client was still sending: the server never waits for (or holds) the rest.
        assertThat(upload.sentWhenAnswered()).isLessThan(ONE_GIB / 2);
    }

    @Test
    void threeConcurrentChunkedGigabytesLeaveTheServerAnsweringWithFlatMemory() throws Exception {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long usedBefore = runtime.totalMemory() - runtime.freeMemory();
        List<CompletableFuture<Upload>> uploads = new ArrayList<>();
        for (String path : List.of("/api/v1/jobs", "/api/v1/tests", "/api/v1/playgrounds")) {
            uploads.add(CompletableFuture.supplyAsync(() -> chunkedUpload(path, ONE_GIB)));
        }
        for (CompletableFuture<Upload> upload : uploads) {
            Upload done = upload.get(2, TimeUnit.MINUTES);
            assertThat(done.response()).startsWith("HTTP/1.1 413");
            assertThat(done.sentWhenAnswered()).isLessThan(ONE_GIB / 2);
        }
        System.gc();
        long usedAfter = runtime.totalMemory() - runtime.freeMemory();
        assertThat(usedAfter - usedBefore).as("heap growth after three 1 GiB uploads").isLessThan(128L << 20);
        assertThat(TestPlatform.get(server, "/healthz").status()).isEqualTo(200);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() {
        TestPlatform.Response response = TestPlatform.post(server, "/api/v1/jobs", "{\"x\": \"" + "a".repeat(1_000_001) + "\"}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("REQUEST_TOO_LARGE");
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupportedMediaType() throws IOException {
        TestPlatform.Response plain = TestPlatform.send(TestPlatform.request(server, "/api/v1/jobs", TestPlatform.DEMO_TOKEN)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(TestPlatform.readmeSubmitBody())));
        TestPlatform.Response form = TestPlatform.send(TestPlatform.request(server, "/api/v1/jobs", TestPlatform.DEMO_TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestPlatform.readmeSubmitBody())));

        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.json().at("/error/code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(plain.json().at("/error/message").asText()).isEqualTo(
                "Content-Type text/plain is not accepted: send the body as JSON with Content-Type: application/json");
        assertThat(form.status()).isEqualTo(415);
        assertThat(TestPlatform.get(server, "/api/v1/jobs?team=data-infra").json().get("jobs")).isEmpty();
    }

    @Test
    void aNulInThePathIsAnsweredInTheJsonErrorShape() throws IOException {
        String raw = rawRequest("GET /api/v1/jobs/abc%00def HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestPlatform.DEMO_TOKEN + "\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(raw).containsIgnoringCase("Content-Type: application/json");
        JsonNode error = body(raw);
        assertThat(error.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.at("/error/message").asText()).startsWith("malformed request: ");
    }

    @Test
    void wrongJsonTypesAreRefusedNamingTheField() throws IOException {
        TestPlatform.Response response = TestPlatform.post(server, "/api/v1/jobs",
                TestPlatform.readmeSubmitBody().replace("\"name\": \"my-job\"", "\"name\": 123"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).isEqualTo("name");
        assertThat(response.json().at("/error/message").asText()).isEqualTo("name: expected a string");
    }

    @Test
    void badTestOptionsAreA400NamingTheOptionNotAFailedReport() {
        String spec = "{\"sources\": [{\"type\": \"iceberg\", \"catalog\": \"pedregal\", \"database\": \"raw\","
                + " \"table\": \"events\"}], \"sinks\": [{\"type\": \"iceberg\", \"catalog\": \"pedregal\","
                + " \"database\": \"derived\", \"table\": \"orders\"}]}";

        TestPlatform.Response limit = TestPlatform.post(server, "/api/v1/tests",
                "{\"job_spec\": " + spec + ", \"options\": {\"preview_limit\": 1000}}");
        TestPlatform.Response typo = TestPlatform.post(server, "/api/v1/tests",
                "{\"job_spec\": " + spec + ", \"options\": {\"preview_limt\": 5}}");
        TestPlatform.Response section = TestPlatform.post(server, "/api/v1/tests",
                "{\"job_spec\": " + spec + ", \"options\": {\"sections\": {\"preview\": \"no\"}}}");

        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().at("/error/field").asText()).isEqualTo("options.preview_limit");
        assertThat(limit.json().at("/error/message").asText())
                .isEqualTo("options.preview_limit: 1000 is not an integer from 0 to 100");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().at("/error/message").asText()).isEqualTo(
                "options.preview_limt: unknown option (expected one of: policy, preview_limit, sections)");
        assertThat(section.status()).isEqualTo(400);
        assertThat(section.json().at("/error/field").asText()).isEqualTo("options.sections.preview");
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Upload(String response, long sentWhenAnswered) {
    }

    /**
     * POSTs {@code length} bytes of a JSON object in 64 KiB chunks ({@code Transfer-Encoding: chunked}) on a raw socket,
     * reading the answer meanwhile; stops sending once an answer arrived.
     */
    private static Upload chunkedUpload(String path, long length) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestPlatform.DEMO_TOKEN
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            AtomicLong sent = new AtomicLong();
            AtomicLong sentWhenAnswered = new AtomicLong(-1);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    int first = in.read();
                    sentWhenAnswered.compareAndSet(-1, sent.get());
                    return first < 0 ? "" : (char) first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                catch (IOException e) {
                    return "read failed: " + e;
                }
            });
            byte[] chunk = new byte[64 << 10];
            java.util.Arrays.fill(chunk, (byte) 'a');
            chunk[0] = '{';
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            try {
                while (sent.get() < length && !answer.isDone()) {
                    out.write(header);
                    out.write(chunk);
                    out.write(new byte[] {'\r', '\n'});
                    sent.addAndGet(chunk.length);
                    chunk[0] = 'a';
                }
            }
            catch (IOException e) {
                // the server closed the connection after it answered
            }
            return new Upload(answer.get(1, TimeUnit.MINUTES), sentWhenAnswered.get());
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode body(String rawResponse) throws IOException {
        String body = rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4);
        return com.doordash.pedregal.model.json.Json.mapper().readTree(body);
    }
}
