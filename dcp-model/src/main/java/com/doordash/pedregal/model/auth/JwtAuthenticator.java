package com.doordash.pedregal.model.auth;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Accepts JSON Web Tokens signed by the platform's issuer with HS256 (a shared secret) or RS256 (an RSA
 * public key). Claims: {@code sub} the user, {@code teams} an array of team names, {@code admin} true for
 * administrators, {@code exp} the expiry (required), and {@code iss} when an issuer is configured.
 */
public final class JwtAuthenticator implements Authenticator {
    private final byte[] hmacSecret;
    private final PublicKey rsaKey;
    private final String issuer;
    private final Clock clock;

    private JwtAuthenticator(byte[] hmacSecret, PublicKey rsaKey, String issuer, Clock clock) {
        this.hmacSecret = hmacSecret;
        this.rsaKey = rsaKey;
        this.issuer = issuer;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Tokens signed with HS256 and {@code secret}; {@code issuer} may be null to accept any. */
    public static JwtAuthenticator hmac(byte[] secret, String issuer, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("auth.jwt.hmac-secret: must be at least 32 bytes");
        }
        return new JwtAuthenticator(secret.clone(), null, issuer, clock);
    }

    /** Tokens signed with RS256, checked with the PEM-encoded RSA public key {@code pem}. */
    public static JwtAuthenticator rsa(String pem, String issuer, Clock clock) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new JwtAuthenticator(null, key, issuer, clock);
        }
        catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.jwt.rsa-public-key-file: not a PEM RSA public key", e);
        }
    }

    @Override
    public Caller authenticate(String authorizationHeader) {
        String token = Authenticator.bearerToken(authorizationHeader);
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw Authenticator.unauthenticated("invalid token");
        }
        JsonNode header = decode(parts[0]);
        String algorithm = header.path("alg").asText();
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = base64(parts[2]);
        if (!verify(algorithm, signed, signature)) {
            throw Authenticator.unauthenticated("invalid token");
        }
        JsonNode claims = decode(parts[1]);
        if (!claims.path("exp").isNumber() || claims.get("exp").asLong() <= clock.instant().getEpochSecond()) {
            throw Authenticator.unauthenticated("expired token");
        }
        if (issuer != null && !issuer.equals(claims.path("iss").asText(null))) {
            throw Authenticator.unauthenticated("token from another issuer");
        }
        String user = claims.path("sub").asText("");
        if (user.isBlank()) {
            throw Authenticator.unauthenticated("token without subject");
        }
        Set<String> teams = new HashSet<>();
        claims.path("teams").forEach(team -> teams.add(team.asText()));
        return new Caller(user, teams, claims.path("admin").asBoolean(false));
    }

    private boolean verify(String algorithm, byte[] signed, byte[] signature) {
        try {
            if ("HS256".equals(algorithm) && hmacSecret != null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hmacSecret, "HmacSHA256"));
                return MessageDigest.isEqual(mac.doFinal(signed), signature);
            }
            if ("RS256".equals(algorithm) && rsaKey != null) {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(rsaKey);
                verifier.update(signed);
                return verifier.verify(signature);
            }
            return false; // "none" and every algorithm not configured
        }
        catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static JsonNode decode(String part) {
        try {
            return Json.mapper().readTree(base64(part));
        }
        catch (java.io.IOException e) {
            throw Authenticator.unauthenticated("invalid token");
        }
    }

    private static byte[] base64(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        }
        catch (IllegalArgumentException e) {
            throw Authenticator.unauthenticated("invalid token");
        }
    }
}
