package com.doordash.pedregal.model.auth;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * How callers prove who they are.
 *
 * @param mode {@code tokens} (a tokens file) or {@code jwt} (signed JSON Web Tokens) — key {@code auth.mode}
 * @param tokensFile the tokens file, created on first start — {@code auth.tokens-file}
 * @param jwtHmacSecret the HS256 secret (at least 32 bytes), or empty — {@code auth.jwt.hmac-secret}
 * @param jwtRsaPublicKeyFile a PEM RSA public key for RS256, or null — {@code auth.jwt.rsa-public-key-file}
 * @param jwtIssuer the required {@code iss} claim, or empty for any — {@code auth.jwt.issuer}
 */
public record AuthConfig(String mode, Path tokensFile, String jwtHmacSecret, Path jwtRsaPublicKeyFile, String jwtIssuer) {
    public AuthConfig {
        requireNonNull(mode, "mode is null");
        requireNonNull(tokensFile, "tokensFile is null");
        requireNonNull(jwtHmacSecret, "jwtHmacSecret is null");
        requireNonNull(jwtIssuer, "jwtIssuer is null");
        if (!mode.equals("tokens") && !mode.equals("jwt")) {
            throw new IllegalArgumentException("auth.mode: \"" + mode + "\" is not valid (expected tokens or jwt)");
        }
        if (mode.equals("jwt") && jwtHmacSecret.isEmpty() && jwtRsaPublicKeyFile == null) {
            throw new IllegalArgumentException("auth.mode: jwt needs auth.jwt.hmac-secret or auth.jwt.rsa-public-key-file");
        }
    }

    /** Reads the {@code auth.*} keys. */
    public static AuthConfig from(ConfigProperties properties, Path dataDir) {
        String rsaKey = properties.string("auth.jwt.rsa-public-key-file", "");
        return new AuthConfig(
                properties.string("auth.mode", "tokens"),
                properties.path("auth.tokens-file", dataDir.resolve("tokens.json")),
                properties.string("auth.jwt.hmac-secret", ""),
                rsaKey.isEmpty() ? null : Path.of(rsaKey).toAbsolutePath(),
                properties.string("auth.jwt.issuer", ""));
    }

    /** The authenticator, and the admin token when a tokens file was just created (to show once). */
    public record Setup(Authenticator authenticator, Optional<String> newAdminToken) {
    }

    /** Builds the authenticator, creating the tokens file on first start in {@code tokens} mode. */
    public Setup authenticator(Clock clock) {
        String issuer = jwtIssuer.isEmpty() ? null : jwtIssuer;
        if (mode.equals("jwt")) {
            if (jwtRsaPublicKeyFile != null) {
                try {
                    return new Setup(JwtAuthenticator.rsa(Files.readString(jwtRsaPublicKeyFile, StandardCharsets.US_ASCII),
                            issuer, clock), Optional.empty());
                }
                catch (IOException e) {
                    throw new UncheckedIOException("auth.jwt.rsa-public-key-file: cannot read " + jwtRsaPublicKeyFile, e);
                }
            }
            return new Setup(JwtAuthenticator.hmac(jwtHmacSecret.getBytes(StandardCharsets.UTF_8), issuer, clock),
                    Optional.empty());
        }
        TokenFile.Created created = TokenFile.createIfMissing(tokensFile);
        return new Setup(TokenFile.load(tokensFile), created.adminToken());
    }

    @Override
    public String toString() {
        return "AuthConfig[mode=" + mode + ", tokensFile=" + tokensFile + ", jwtHmacSecret=" + (jwtHmacSecret.isEmpty() ? "" : "***")
                + ", jwtRsaPublicKeyFile=" + jwtRsaPublicKeyFile + ", jwtIssuer=" + jwtIssuer + "]";
    }
}
