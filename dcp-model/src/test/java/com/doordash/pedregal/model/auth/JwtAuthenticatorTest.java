package com.doordash.pedregal.model.auth;

import static com.doordash.pedregal.model.auth.TokenFileTest.assertUnauthenticated;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

final class JwtAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String CLAIMS = "{\"sub\":\"ann@doordash.com\",\"teams\":[\"data-infra\",\"ads\"],\"iss\":\"dcp\",\"exp\":%d}";

    private final JwtAuthenticator hmac = JwtAuthenticator.hmac(SECRET, "dcp", CLOCK);

    @Test
    void acceptsAnHs256TokenAndReadsUserTeamsAndAdmin() {
        String token = hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", CLAIMS.formatted(NOW.getEpochSecond() + 60), SECRET);

        assertThat(hmac.authenticate("Bearer " + token))
                .isEqualTo(new Caller("ann@doordash.com", Set.of("data-infra", "ads"), false));
    }

    @Test
    void acceptsAnRs256TokenSignedByTheConfiguredKey() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        JwtAuthenticator rsa = JwtAuthenticator.rsa(pem, null, CLOCK);
        String token = rs256("{\"sub\":\"root\",\"admin\":true,\"exp\":%d}".formatted(NOW.getEpochSecond() + 60), keys.getPrivate());

        assertThat(rsa.authenticate("Bearer " + token)).isEqualTo(new Caller("root", Set.of(), true));
        // An HS256 token is not accepted by an RS256-only authenticator (no algorithm confusion).
        assertUnauthenticated(() -> rsa.authenticate("Bearer " + hs256("{\"alg\":\"HS256\"}",
                CLAIMS.formatted(NOW.getEpochSecond() + 60), pem.getBytes(StandardCharsets.US_ASCII))), "invalid token");
    }

    @Test
    void rejectsBadSignatureExpiryIssuerAndAlgNone() {
        long later = NOW.getEpochSecond() + 60;
        assertUnauthenticated(() -> hmac.authenticate("Bearer " + hs256("{\"alg\":\"HS256\"}", CLAIMS.formatted(later),
                "another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8))), "invalid token");
        assertUnauthenticated(() -> hmac.authenticate("Bearer " + hs256("{\"alg\":\"HS256\"}",
                CLAIMS.formatted(NOW.getEpochSecond()), SECRET)), "expired token");
        assertUnauthenticated(() -> hmac.authenticate("Bearer " + hs256("{\"alg\":\"HS256\"}",
                CLAIMS.formatted(later).replace("\"dcp\"", "\"evil\""), SECRET)), "token from another issuer");
        assertUnauthenticated(() -> hmac.authenticate("Bearer " + b64("{\"alg\":\"none\"}") + "." + b64(CLAIMS.formatted(later)) + "."),
                "invalid token");
        assertUnauthenticated(() -> hmac.authenticate("Bearer a.b"), "invalid token");
    }

    private static String hs256(String header, String claims, byte[] secret) {
        try {
            String signed = b64(header) + "." + b64(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String rs256(String claims, PrivateKey key) throws Exception {
        String signed = b64("{\"alg\":\"RS256\"}") + "." + b64(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
