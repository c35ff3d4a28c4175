package com.doordash.pedregal.pretzel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class TtlTest {
    @Test
    void parsesEachUnit() {
        assertThat(Ttl.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Ttl.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Ttl.parse("36h")).isEqualTo(Duration.ofHours(36));
        assertThat(Ttl.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Ttl.parse(" 3D ")).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void refusesWhatIsNotATimeToLive() {
        for (String bad : new String[] {"", "7", "d", "0d", "-1d", "1.5h", "7 days", "1w"}) {
            assertThatThrownBy(() -> Ttl.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"" + bad + "\" is not a time to live like 7d, 36h, 90m or 45s");
        }
    }

    @Test
    void describesDurationsForPeople() {
        assertThat(Ttl.describe(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Ttl.describe(Duration.ofHours(51))).isEqualTo("2d 3h");
        assertThat(Ttl.describe(Duration.ofMinutes(90))).isEqualTo("1h 30m");
        assertThat(Ttl.describe(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Ttl.describe(Duration.ofSeconds(-5))).isEqualTo("0s");
    }
}
