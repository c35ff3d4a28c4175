package com.doordash.pedregal.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ConfigPropertiesTest {
    @Test
    void readsTypedValuesAndReportsUnreadKeys() {
        ConfigProperties properties = new ConfigProperties(Map.of(
                "a.size", "2g", "a.time", "250ms", "a.flag", "true", "a.count", "7", "a.typo", "x"));

        assertThat(properties.bytes("a.size", 0)).isEqualTo(2L << 30);
        assertThat(properties.duration("a.time", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(properties.bool("a.flag", false)).isTrue();
        assertThat(properties.integer("a.count", 0, 0, 10)).isEqualTo(7);
        assertThat(properties.string("a.missing", "fallback")).isEqualTo("fallback");
        assertThat(properties.unknownKeys()).containsExactly("a.typo");
    }

    @Test
    void environmentVariablesFillKeysNotGivenExplicitly() {
        ConfigProperties properties = new ConfigProperties(Map.of("server.port", "9000"),
                Map.of("DCP_SERVER_PORT", "1", "DCP_GATEWAY_LOCAL_MAX_DRIVER_MEMORY", "3g"));

        assertThat(properties.integer("server.port", 8080, 0, 65535)).isEqualTo(9000);
        assertThat(properties.bytes("gateway.local.max-driver-memory", 0)).isEqualTo(3L << 30);
    }

    @Test
    void badValuesNameTheKey() {
        ConfigProperties properties = new ConfigProperties(Map.of("x.size", "8x", "x.time", "soon", "x.port", "70000"));

        assertThatThrownBy(() -> properties.bytes("x.size", 0))
                .hasMessage("x.size: \"8x\" is not valid (expected a size like 512m or 8g)");
        assertThatThrownBy(() -> properties.duration("x.time", Duration.ZERO))
                .hasMessage("x.time: \"soon\" is not valid (expected a duration like 250ms, 30s, 5m, 2h or 7d)");
        assertThatThrownBy(() -> properties.integer("x.port", 0, 0, 65535))
                .hasMessage("x.port: \"70000\" is not valid (expected an integer from 0 to 65535)");
    }
}
