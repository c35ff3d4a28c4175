package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import io.javalin.Javalin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The platform's metrics in the Prometheus text format at {@code GET /metrics}: per hot pool
 * ({@code backend}, {@code spark_version}, {@code namespace} labels) its size, idle and starting drivers, hand-offs,
 * cold starts, replaced drivers and hand-off time.
 */
final class PlatformMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Meters hold what they read only weakly: these keep the readers alive. */
    private final List<PoolReader> readers = new ArrayList<>();

    PlatformMetrics(SparkGateway gateway) {
        requireNonNull(gateway, "gateway is null");
        for (PoolStatus pool : gateway.pools()) {
            Tags tags = Tags.of("backend", pool.backend(), "spark_version", pool.sparkVersion(), "namespace", pool.namespace());
            PoolReader reader = new PoolReader(gateway, pool);
            readers.add(reader);
            gauge("dcp.hot.pool.size", "warm drivers the pool keeps", reader, PoolStatus::size, tags);
            gauge("dcp.hot.pool.idle", "warm drivers ready for a job", reader, PoolStatus::idle, tags);
            gauge("dcp.hot.pool.starting", "warm drivers warming up", reader, PoolStatus::starting, tags);
            gauge("dcp.hot.pool.hand.off.last.ms", "time of the last hand-off of a job to a warm driver", reader,
                    PoolStatus::lastHandOffMillis, tags);
            gauge("dcp.hot.pool.hand.off.median.ms", "median time of the last 100 hand-offs", reader,
                    PoolStatus::medianHandOffMillis, tags);
            counter("dcp.hot.pool.hand.offs", "jobs handed to a warm driver", reader, PoolStatus::handOffs, tags);
            counter("dcp.hot.pool.cold.starts", "jobs of this pool's runtime and namespace that started cold", reader,
                    PoolStatus::coldStarts, tags);
            counter("dcp.hot.pool.replaced", "warm drivers that died or never got ready, and were replaced", reader,
                    PoolStatus::replaced, tags);
        }
    }

    void install(Javalin app) {
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }

    private void gauge(String name, String help, PoolReader reader, ToDoubleFunction<PoolStatus> value, Tags tags) {
        Gauge.builder(name, reader, r -> value.applyAsDouble(r.read())).description(help).tags(tags).register(registry);
    }

    private void counter(String name, String help, PoolReader reader, ToDoubleFunction<PoolStatus> value, Tags tags) {
        FunctionCounter.builder(name, reader, r -> value.applyAsDouble(r.read())).description(help).tags(tags)
                .register(registry);
    }

    /** The current status of one pool. */
    private record PoolReader(SparkGateway gateway, PoolStatus pool) {
        PoolStatus read() {
            return gateway.pools().stream()
                    .filter(current -> current.backend().equals(pool.backend())
                            && current.sparkVersion().equals(pool.sparkVersion())
                            && current.namespace().equals(pool.namespace()))
                    .findFirst()
                    .orElse(pool);
        }
    }
}
