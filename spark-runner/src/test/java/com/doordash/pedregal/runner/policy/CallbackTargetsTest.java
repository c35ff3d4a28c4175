package com.doordash.pedregal.runner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class CallbackTargetsTest {
    @Test
    void anyHostButLoopbackLinkLocalAndWildcardAddressesByDefault() {
        CallbackTargets targets = new CallbackTargets(List.of("*"));

        assertThat(targets.refusal("https://10.1.2.3/hooks/done", true)).isEmpty();
        assertThat(targets.refusal("http://127.0.0.1:38112/internal/admin", false)).contains("goes to 127.0.0.1, a loopback"
                + " address; such an address is allowed only when its host is listed in policy.callbacks.allowed-hosts");
        assertThat(targets.refusal("http://localhost:9000/x", false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("a loopback address"));
        assertThat(targets.refusal("http://169.254.169.254/latest/meta-data/", false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("169.254.169.254, a link-local address"));
        assertThat(targets.refusal("http://[::1]:8080/", false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("a loopback address"));
        assertThat(targets.refusal("http://0.0.0.0:8080/", false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("a wildcard address"));
        assertThat(targets.refusal("http://[::ffff:127.0.0.1]:8080/", false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("a loopback address"));
        assertThat(targets.refusal("http://user:secret@hooks.example.com/", false))
                .contains("must not carry credentials (user:password@)");
        assertThat(targets.refusal("file:///data/tokens.json", false)).contains("is not an http:// or https:// URL with a host");
    }

    @Test
    void loopbackWhenListedByNameButNeverThePlatformsOwnPorts() {
        CallbackTargets targets = new CallbackTargets(List.of("127.0.0.1"));
        targets.reservePlatformPorts(List.of(38112, 9090));

        assertThat(targets.refusal("http://127.0.0.1:8099/done", false)).isEmpty();
        assertThat(targets.refusal("http://127.0.0.1:38112/api/v1/jobs", false)).contains("goes to port 38112 of this"
                + " machine, where the platform itself listens; callbacks never go to the platform");
        assertThat(targets.refusal("http://hooks.example.com/done", false)).contains("goes to hooks.example.com:80, which"
                + " is not in policy.callbacks.allowed-hosts (127.0.0.1)");
    }

    @Test
    void aListedHostCanBeNarrowedToAPortAndADomain() {
        CallbackTargets targets = new CallbackTargets(List.of("*.example.com", "127.0.0.1:8099"));

        assertThat(targets.refusal("https://hooks.example.com/done", false)).isEmpty();
        assertThat(targets.refusal("http://127.0.0.1:8099/done", false)).isEmpty();
        assertThat(targets.refusal("http://127.0.0.1:8100/done", false)).isPresent();
        assertThat(targets.refusal("https://example.org/done", false)).isPresent();
    }
}
