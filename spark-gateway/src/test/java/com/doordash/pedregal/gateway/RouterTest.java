package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.gateway.local.LocalBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RouterTest {
    private static final Router ROUTER = Router.from(new ConfigProperties(Map.ofEntries(
            Map.entry("gateway.default-backend", "local"),
            Map.entry("gateway.routes", "streaming, big-teams, playgrounds, spark4"),
            Map.entry("gateway.route.streaming.job-type", "streaming"),
            Map.entry("gateway.route.streaming.backend", "kubernetes"),
            Map.entry("gateway.route.big-teams.team", "data-infra, growth"),
            Map.entry("gateway.route.big-teams.spark-version", "3.5"),
            Map.entry("gateway.route.big-teams.backend", "standalone"),
            Map.entry("gateway.route.playgrounds.namespace", "pg-*"),
            Map.entry("gateway.route.playgrounds.backend", "local"),
            Map.entry("gateway.route.spark4.spark-version", "4.0"),
            Map.entry("gateway.route.spark4.backend", "kubernetes"))));

    @Test
    void firstMatchingRuleWinsAndEveryConditionMustHold() {
        assertThat(ROUTER.route(key("data-infra", "default", "3.5", "STREAMING"))).isEqualTo("kubernetes");
        assertThat(ROUTER.route(key("data-infra", "default", "3.5", "BATCH"))).isEqualTo("standalone");
        assertThat(ROUTER.route(key("growth", "pg-alice-x", "3.5", "BATCH"))).isEqualTo("standalone");
        assertThat(ROUTER.route(key("data-infra", "pg-alice-x", "4.0", "BATCH"))).isEqualTo("local");
        assertThat(ROUTER.route(key("search", "default", "4.0", "BATCH"))).isEqualTo("kubernetes");
    }

    @Test
    void jobNoRuleMatchesGoesToTheDefaultBackend() {
        assertThat(ROUTER.route(key("search", "default", "3.5", "BATCH"))).isEqualTo("local");
        assertThat(ROUTER.route(key("search", "apg-x", "3.5", "BATCH"))).as("globs match whole names").isEqualTo("local");
    }

    @Test
    void withoutRulesEveryJobGoesToTheDefaultBackend() {
        Router router = Router.from(new ConfigProperties(Map.of()));

        assertThat(router.route(key("data-infra", "default", "3.5", "BATCH"))).isEqualTo("local");
        assertThat(router.rules()).isEmpty();
    }

    @Test
    void ruleWithoutBackendIsAConfigurationError() {
        assertThatThrownBy(() -> Router.from(new ConfigProperties(Map.of(
                "gateway.routes", "etl",
                "gateway.route.etl.team", "data-infra"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.route.etl.backend: missing (rule \"etl\" is listed in gateway.routes)");
    }

    @Test
    void gatewayRefusesARuleNamingAnUnknownBackend(@TempDir Path dataDir) {
        Router router = new Router(List.of(new Router.Rule("etl", Set.of("data-infra"), Set.of(), Set.of(), Set.of(),
                "standalone")), "local");
        SparkRuntimes runtimes = SparkRuntimes.scan(GatewayConfig.defaultRuntimesDir());
        LocalBackend local = new LocalBackend(GatewayConfig.from(new ConfigProperties(Map.of()), TestDirs.reachable(dataDir)),
                runtimes);

        assertThatThrownBy(() -> new SparkGateway(List.of(local), runtimes, router))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.route.etl.backend: \"standalone\" is not a backend (backends: local)");
    }

    private static RouteKey key(String team, String namespace, String sparkVersion, String jobType) {
        return new RouteKey(team, namespace, sparkVersion, jobType);
    }
}
