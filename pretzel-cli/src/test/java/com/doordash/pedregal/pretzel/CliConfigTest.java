package com.doordash.pedregal.pretzel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CliConfigTest {
    @TempDir
    Path dir;

    @Test
    void flagWinsOverEnvironmentWhichWinsOverFileWhichWinsOverDefault() throws Exception {
        Path file = dir.resolve("config.properties");
        Files.writeString(file, "server=http://file:1\ntoken=file-token\nplayground=file-pg\n");

        CliConfig onlyFile = CliConfig.load(Map.of("PRETZEL_CONFIG", file.toString()));
        CliConfig withEnv = CliConfig.load(Map.of("PRETZEL_CONFIG", file.toString(), "PRETZEL_SERVER", "http://env:2",
                "PRETZEL_TOKEN", "env-token", "PRETZEL_PLAYGROUND", "env-pg"));

        assertThat(onlyFile.server(null)).isEqualTo("http://file:1");
        assertThat(onlyFile.token(null)).hasValue("file-token");
        assertThat(onlyFile.playground(null)).hasValue("file-pg");
        assertThat(withEnv.server(null)).isEqualTo("http://env:2");
        assertThat(withEnv.token(null)).hasValue("env-token");
        assertThat(withEnv.playground(null)).hasValue("env-pg");
        assertThat(withEnv.server("http://flag:3")).isEqualTo("http://flag:3");
        assertThat(withEnv.token("flag-token")).hasValue("flag-token");
        assertThat(withEnv.playground("flag-pg")).hasValue("flag-pg");
    }

    @Test
    void withoutFileOrEnvironmentTheServerIsLocalhostAndThereIsNoToken() {
        CliConfig config = CliConfig.load(Map.of("HOME", dir.toString()));

        assertThat(config.file()).isEqualTo(dir.resolve(".pretzel/config.properties"));
        assertThat(config.server(null)).isEqualTo("http://localhost:8080");
        assertThat(config.token(null)).isEmpty();
        assertThat(config.playground(null)).isEmpty();
    }

    @Test
    void savingTheCurrentPlaygroundKeepsTheOtherKeysAndIsReadableByTheOwnerOnly() throws Exception {
        Path file = dir.resolve("nested/config.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "server=http://file:1\ntoken=secret\n");
        Map<String, String> env = Map.of("PRETZEL_CONFIG", file.toString());

        CliConfig.load(env).saveCurrentPlayground("demo");

        CliConfig reread = CliConfig.load(env);
        assertThat(reread.currentPlayground()).hasValue("demo");
        assertThat(reread.server(null)).isEqualTo("http://file:1");
        assertThat(reread.token(null)).hasValue("secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        reread.clearCurrentPlayground();
        assertThat(CliConfig.load(env).currentPlayground()).isEmpty();
        assertThat(CliConfig.load(env).token(null)).hasValue("secret");
    }

    @Test
    void creatingTheFileCreatesItsFolder() {
        Map<String, String> env = Map.of("HOME", dir.toString());

        CliConfig.load(env).saveCurrentPlayground("demo");

        assertThat(dir.resolve(".pretzel/config.properties")).exists();
        assertThat(CliConfig.load(env).playground(null)).hasValue("demo");
    }

    @Test
    void unknownKeyIsNamed() throws Exception {
        Path file = dir.resolve("config.properties");
        Files.writeString(file, "srever=http://x\n");

        assertThatThrownBy(() -> CliConfig.load(Map.of("PRETZEL_CONFIG", file.toString())))
                .isInstanceOf(UsageException.class)
                .hasMessage("the config file " + file + " has unknown keys [srever] (known: playground, server, token)");
    }
}
