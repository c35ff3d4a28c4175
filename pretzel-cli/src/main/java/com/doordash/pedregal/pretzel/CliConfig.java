package com.doordash.pedregal.pretzel;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where {@code pretzel} finds the server, the token and the current playground: a flag wins over an environment
 * variable, which wins over the config file ({@code ~/.pretzel/config.properties}, or the file named by
 * {@code PRETZEL_CONFIG}); the server defaults to {@value #DEFAULT_SERVER}.
 *
 * <p>The file is a properties file with the keys {@code server}, {@code token} and {@code playground} (the current
 * playground, written by {@code pretzel playground use} and {@code create}).
 */
final class CliConfig {
    static final String DEFAULT_SERVER = "http://localhost:8080";
    static final String CONFIG_VARIABLE = "PRETZEL_CONFIG";
    static final String SERVER_VARIABLE = "PRETZEL_SERVER";
    static final String TOKEN_VARIABLE = "PRETZEL_TOKEN";
    static final String PLAYGROUND_VARIABLE = "PRETZEL_PLAYGROUND";
    static final String SERVER_KEY = "server";
    static final String TOKEN_KEY = "token";
    static final String PLAYGROUND_KEY = "playground";
    private static final Set<String> KEYS = Set.of(SERVER_KEY, TOKEN_KEY, PLAYGROUND_KEY);

    private final Path file;
    private final Properties properties;
    private final Map<String, String> env;

    private CliConfig(Path file, Properties properties, Map<String, String> env) {
        this.file = file;
        this.properties = properties;
        this.env = env;
    }

    /** Reads the config file that {@code env} points at; a missing file is an empty configuration. */
    static CliConfig load(Map<String, String> env) {
        requireNonNull(env, "env is null");
        Path file = file(env);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (NoSuchFileException e) {
            // No file yet: everything comes from flags, the environment or the defaults.
        }
        catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read the config file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new UsageException("the config file " + file + " has unknown keys " + unknown
                    + " (known: playground, server, token)");
        }
        return new CliConfig(file, properties, env);
    }

    /** The config file: {@code $PRETZEL_CONFIG}, else {@code $HOME/.pretzel/config.properties}. */
    static Path file(Map<String, String> env) {
        String named = env.get(CONFIG_VARIABLE);
        if (named != null && !named.isBlank()) {
            return Path.of(named.strip());
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".pretzel", "config.properties");
    }

    Path file() {
        return file;
    }

    /** The server's URL: {@code flag}, else {@code PRETZEL_SERVER}, else the file's {@code server}, else the default. */
    String server(String flag) {
        return first(flag, SERVER_VARIABLE, SERVER_KEY).orElse(DEFAULT_SERVER);
    }

    /** The token: {@code flag}, else {@code PRETZEL_TOKEN}, else the file's {@code token}; empty for none. */
    Optional<String> token(String flag) {
        return first(flag, TOKEN_VARIABLE, TOKEN_KEY);
    }

    /** The playground to act in: {@code flag}, else {@code PRETZEL_PLAYGROUND}, else the current one of the file. */
    Optional<String> playground(String flag) {
        return first(flag, PLAYGROUND_VARIABLE, PLAYGROUND_KEY);
    }

    /** The current playground as the file has it. */
    Optional<String> currentPlayground() {
        return nonBlank(properties.getProperty(PLAYGROUND_KEY));
    }

    /** Makes {@code name} the current playground, writing the file (and its folder) when needed. */
    void saveCurrentPlayground(String name) {
        properties.setProperty(PLAYGROUND_KEY, requireNonNull(name, "name is null"));
        save();
    }

    /** Forgets the current playground. */
    void clearCurrentPlayground() {
        if (properties.remove(PLAYGROUND_KEY) != null) {
            save();
        }
    }

    private Optional<String> first(String flag, String variable, String key) {
        return nonBlank(flag)
                .or(() -> nonBlank(env.get(variable)))
                .or(() -> nonBlank(properties.getProperty(key)));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    // Written to a temporary file and moved into place; readable by the user only, since it may hold a token.
    private void save() {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".config", ".tmp");
            try {
                setOwnerOnly(temporary);
                try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                    properties.store(writer, "pretzel configuration: server, token, playground (the current one)");
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            finally {
                Files.deleteIfExists(temporary);
            }
        }
        catch (IOException e) {
            throw new UsageException("cannot write the config file " + file + ": " + e.getMessage());
        }
    }

    private static void setOwnerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
        catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's defaults apply.
        }
    }
}
