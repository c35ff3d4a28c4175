package com.doordash.pedregal.model.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TokenFileTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAdminAndDemoTokensStoringOnlyHashes() throws Exception {
        Path file = dir.resolve("tokens.json");

        TokenFile.Created created = TokenFile.createIfMissing(file);

        String admin = created.adminToken().orElseThrow();
        String text = Files.readString(file);
        assertThat(text).doesNotContain(admin).doesNotContain("\"demo-token\"").contains(TokenFile.sha256(admin));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        TokenFile tokens = TokenFile.load(file);
        assertThat(tokens.authenticate("Bearer " + admin)).isEqualTo(new Caller("admin", Set.of(), true));
        assertThat(tokens.authenticate("Bearer demo-token"))
                .isEqualTo(new Caller("user@doordash.com", Set.of("data-infra"), false));
    }

    @Test
    void laterStartsKeepTheFileAndShowNoToken() throws Exception {
        Path file = dir.resolve("tokens.json");
        TokenFile.createIfMissing(file);
        String before = Files.readString(file);

        assertThat(TokenFile.createIfMissing(file).adminToken()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void missingMalformedAndUnknownTokensAreUnauthenticatedWithoutEchoingTheToken() {
        Path file = dir.resolve("tokens.json");
        TokenFile.createIfMissing(file);
        TokenFile tokens = TokenFile.load(file);

        assertUnauthenticated(() -> tokens.authenticate(null),
                "missing credentials: send the header Authorization: Bearer <token>");
        assertUnauthenticated(() -> tokens.authenticate("Basic dXNlcjpwdw=="),
                "the Authorization header is not of the form Bearer <token>");
        assertUnauthenticated(() -> tokens.authenticate("Bearer not-a-known-secret"), "invalid token");
    }

    @Test
    void malformedFileNamesTheEntry() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.json"), "{\"tokens\": [{\"name\": \"x\", \"sha256\": \"abc\", \"user\": \"u\"}]}");

        assertThatThrownBy(() -> TokenFile.load(file))
                .hasMessage("auth.tokens-file: " + file + ": tokens[0] needs \"sha256\" (64 lower-case hex digits) and \"user\"");
    }

    static void assertUnauthenticated(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
