package com.doordash.pedregal.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.SparkRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SparkSubmitCommandTest {
    @TempDir
    Path dir;

    /** Prints each argument on a line of its own, escaping line breaks, for the test to compare. */
    public static final class EchoMain {
        public static void main(String[] args) {
            for (String arg : args) {
                System.out.println("<" + arg.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + ">");
            }
        }
    }

    @Test
    void theJavaLauncherReadsBackEveryArgumentExactly() throws Exception {
        List<String> tricky = List.of("a b", "q\"uote", "back\\slash", "new\nline", "cr\rx", "tab\tx", "single'q", "#hash",
                "@at", "", "x=$HOME", "spark.sql.x=SELECT 'a;b' -- c", "é😀");
        List<String> arguments = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                EchoMain.class.getName()));
        arguments.addAll(tricky);
        Path argFile = dir.resolve("echo.args");
        Files.writeString(argFile, SparkSubmitCommand.argFile(arguments), StandardCharsets.UTF_8);

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "@" + argFile).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output.lines().toList()).containsExactlyElementsOf(tricky.stream()
                .map(arg -> "<" + arg.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + ">").toList());
    }

    @Test
    void theCommandLineNamesOnlyTheArgumentFileAndRunsTheJvmBelowTheServersPriority() {
        SparkRuntime runtime = new SparkRuntime("3.5", "3.5.9", dir.resolve("runtime"));
        SparkSubmitCommand command = SparkSubmitCommand.of(Path.of("/jdk"), runtime)
                .application("job", "com.example.Main")
                .conf(Map.of("spark.hadoop.fs.s3a.secret.key", "s3cr3t"))
                .jar("/jobs/app.jar", List.of("--spec-base64", "e30="));

        assertThat(command.command(dir.resolve("driver.args"))).endsWith("/jdk/bin/java", "@" + dir.resolve("driver.args"))
                .doesNotContain("s3cr3t", "e30=");
        assertThat(command.arguments()).containsSubsequence("org.apache.spark.deploy.SparkSubmit", "--class", "com.example.Main",
                "--conf", "spark.hadoop.fs.s3a.secret.key=s3cr3t", "/jobs/app.jar", "--spec-base64", "e30=");
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            assertThat(command.command(dir.resolve("driver.args"))).startsWith("/usr/bin/nice", "-n",
                    Integer.toString(SparkSubmitCommand.NICENESS));
        }
    }

    @Test
    void theArgumentsForLogsShowNoSecretSettingButEveryOtherOne() {
        SparkRuntime runtime = new SparkRuntime("3.5", "3.5.9", dir.resolve("runtime"));
        SparkSubmitCommand command = SparkSubmitCommand.of(Path.of("/jdk"), runtime)
                .application("job", "com.example.Main")
                .conf(Map.of("spark.sql.catalog.pedregal.jdbc.password", "pg-pw", "spark.sql.catalog.pedregal.credential",
                        "id:oauth-secret", "spark.sql.catalog.pedregal.s3.secret-access-key", "s3-key",
                        "spark.sql.shuffle.partitions", "7"))
                .jar("/jobs/app.jar", List.of());

        assertThat(String.join(" ", command.redactedArguments()))
                .contains("spark.sql.catalog.pedregal.jdbc.password=***", "spark.sql.catalog.pedregal.credential=***",
                        "spark.sql.catalog.pedregal.s3.secret-access-key=***", "spark.sql.shuffle.partitions=7")
                .doesNotContain("pg-pw", "oauth-secret", "s3-key");
        assertThat(command.arguments()).contains("spark.sql.catalog.pedregal.jdbc.password=pg-pw");
    }
}
