package com.doordash.pedregal.pretzel;

import static com.doordash.pedregal.pretzel.CliRun.pretzel;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line without a server: help, usage errors, configuration, an unreachable server. */
final class PretzelCommandLineTest {
    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void emptyConfiguration() {
        env = Map.of("PRETZEL_CONFIG", dir.resolve("config.properties").toString(),
                "PRETZEL_SERVER", "http://127.0.0.1:" + unusedPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "playground", "playground create", "playground list", "playground show", "playground extend",
        "playground delete", "playground use", "derived-dataset", "derived-dataset plan", "derived-dataset apply",
        "derived-dataset test", "derived-dataset run", "derived-dataset delete", "plan", "apply", "test", "run", "delete",
        "jobs", "jobs submit", "jobs status", "jobs list", "jobs logs", "jobs cancel"})
    void everyCommandHasHelpWithAnExampleAndTheExitCodes(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");

        CliRun run = pretzel(env, args);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Usage: pretzel" + (command.isEmpty() ? "" : " " + command))
                .contains("--output=FORMAT").contains("--server=URL")
                .contains("Example:")
                .contains("Exit codes:")
                .contains("3   the server refused the request (HTTP 4xx)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        CliRun run = pretzel(env, "jobs", "list", "--colour");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("pretzel: Unknown option: '--colour' (see 'pretzel jobs list --help')\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badTimeToLiveIsAUsageError() {
        CliRun run = pretzel(env, "playground", "create", "demo", "--ttl", "7w");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("\"7w\" is not a time to live like 7d, 36h, 90m or 45s").hasLineCount(1);
    }

    @Test
    void derivedDatasetCommandsNeedAPlaygroundBeforeAnythingIsSent() throws IOException {
        Path manifest = Files.writeString(dir.resolve("B.yaml"), "kind: DerivedDataset\n");

        CliRun run = pretzel(env, "derived-dataset", "apply", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("pretzel: no playground: create one with 'pretzel playground create NAME', pick one "
                + "with 'pretzel playground use NAME', or pass --playground NAME\n");
    }

    @Test
    void missingFileIsAUsageError() {
        CliRun run = pretzel(env, "apply", "-f", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("pretzel: " + dir.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void submitOfAFileThatIsNotJsonNamesTheLineAndColumn() throws IOException {
        Path body = Files.writeString(dir.resolve("job.json"), "{\"name\": \"x\",\n  oops}\n");

        CliRun run = pretzel(env, "jobs", "submit", body.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("pretzel: " + body + ":2:3: not JSON: ").hasLineCount(1);
    }

    @Test
    void unreachableServerIsExitCode4WithOneLine() {
        CliRun run = pretzel(env, "jobs", "status", "some-job");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).startsWith("pretzel: cannot reach " + env.get("PRETZEL_SERVER")).hasLineCount(1);
    }

    @Test
    void jsonOutputOfAnErrorIsTheErrorAsJsonOnStandardOutput() {
        CliRun run = pretzel(env, "jobs", "status", "some-job", "--output", "json");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).startsWith("{\"error\":{\"code\":\"CONNECTION_FAILED\",\"message\":\"cannot reach ");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() {
        String url = "http://127.0.0.1:" + unusedPort();

        for (List<String> args : List.of(List.of("--server", url, "jobs", "status", "x"),
                List.of("jobs", "--server", url, "status", "x"), List.of("jobs", "status", "x", "--server", url))) {
            CliRun run = pretzel(env, args.toArray(String[]::new));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
            assertThat(run.err()).as(args.toString()).startsWith("pretzel: cannot reach " + url + " ");
        }
    }

    @Test
    void serverThatIsNotAUrlIsAUsageError() {
        CliRun run = pretzel(env, "jobs", "status", "x", "--server", "localhost:8080");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("pretzel: the server localhost:8080 is not an http:// or https:// URL such as "
                + "http://localhost:8080\n");
    }

    @Test
    void aTokenWithSpacesIsRefusedWithoutShowingIt() {
        CliRun run = pretzel(env, "jobs", "status", "x", "--token", "my secret");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).doesNotContain("secret").hasLineCount(1);
    }

    @Test
    void noSubcommandPrintsUsageAndIsAUsageError() {
        CliRun run = pretzel(env);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: pretzel");
    }

    static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
