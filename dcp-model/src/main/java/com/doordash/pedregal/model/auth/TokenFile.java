package com.doordash.pedregal.model.auth;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens kept in a JSON file as SHA-256 hashes, each with the user, teams and admin flag it stands
 * for. The embedded default creates the file on first start with a random admin token (shown once, never
 * stored in clear) and the development token {@code demo-token} of {@code user@doordash.com} in team
 * {@code data-infra}.
 *
 * <pre>
 * {"tokens": [{"name": "demo", "sha256": "&lt;hex of SHA-256(token)&gt;", "user": "user@doordash.com",
 *              "teams": ["data-infra"], "admin": false}]}
 * </pre>
 */
public final class TokenFile implements Authenticator {
    /** The development token of the seed README's identity. */
    public static final String DEMO_TOKEN = "demo-token";
    /** The seed README's user. */
    public static final String DEMO_USER = "user@doordash.com";
    /** The seed README's team. */
    public static final String DEMO_TEAM = "data-infra";

    private final Map<String, Caller> callersByHash;

    private TokenFile(Map<String, Caller> callersByHash) {
        this.callersByHash = Map.copyOf(callersByHash);
    }

    /** One entry of the file; {@code admin} is false when absent. */
    public record Entry(String name, String sha256, String user, List<String> teams, Boolean admin) {
        public Entry {
            teams = teams == null ? List.of() : List.copyOf(teams);
        }
    }

    /** The file's content. */
    public record Content(@JsonProperty("tokens") List<Entry> tokens) {
        public Content {
            tokens = tokens == null ? List.of() : List.copyOf(tokens);
        }
    }

    /** What {@link #createIfMissing} did: the admin token, present only when it just created the file. */
    public record Created(Optional<String> adminToken) {
    }

    /**
     * Creates {@code file} with a random admin token and the demo token when it does not exist; the new
     * admin token is returned so it can be shown once.
     */
    public static Created createIfMissing(Path file) {
        if (Files.exists(file)) {
            return new Created(Optional.empty());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String adminToken = "dcp-admin-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Content content = new Content(List.of(
                new Entry("admin", sha256(adminToken), "admin", List.of(), true),
                new Entry("demo", sha256(DEMO_TOKEN), DEMO_USER, List.of(DEMO_TEAM), false)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(content),
                    StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(temporary, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the tokens file " + file, e);
        }
        return new Created(Optional.of(adminToken));
    }

    /** Reads the tokens of {@code file}; fails naming the file and entry when it is malformed. */
    public static TokenFile load(Path file) {
        Content content;
        try {
            content = Json.read(Files.readString(file, StandardCharsets.UTF_8), Content.class);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens file " + file, e);
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("auth.tokens-file: " + file + " is not a tokens file: " + e.getMessage(), e);
        }
        Map<String, Caller> callers = new HashMap<>();
        for (int i = 0; i < content.tokens().size(); i++) {
            Entry entry = content.tokens().get(i);
            if (entry.sha256() == null || !entry.sha256().matches("[0-9a-f]{64}") || entry.user() == null) {
                throw new IllegalArgumentException("auth.tokens-file: " + file + ": tokens[" + i
                        + "] needs \"sha256\" (64 lower-case hex digits) and \"user\"");
            }
            callers.put(entry.sha256(), new Caller(entry.user(), Set.copyOf(entry.teams()), Boolean.TRUE.equals(entry.admin())));
        }
        return new TokenFile(callers);
    }

    @Override
    public Caller authenticate(String authorizationHeader) {
        Caller caller = callersByHash.get(sha256(Authenticator.bearerToken(authorizationHeader)));
        if (caller == null) {
            throw Authenticator.unauthenticated("invalid token");
        }
        return caller;
    }

    /** The lower-case hex SHA-256 of {@code token}, as the file stores it. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
