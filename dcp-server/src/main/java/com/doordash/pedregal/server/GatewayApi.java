package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntime;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the gateway offers: {@code GET /api/v1/runtimes} and {@code GET /api/v1/pools}. */
final class GatewayApi {
    private static final Logger log = LoggerFactory.getLogger(GatewayApi.class);

    private final SparkGateway gateway;

    GatewayApi(SparkGateway gateway) {
        this.gateway = requireNonNull(gateway, "gateway is null");
    }

    void install(Javalin app) {
        app.get("/api/v1/runtimes", this::runtimes);
        app.get("/api/v1/pools", ctx -> ctx.json(Map.of("pools", gateway.pools().stream().map(GatewayApi::view).toList())));
    }

    private void runtimes(Context ctx) {
        Map<String, List<String>> backendsByVersion = new LinkedHashMap<>();
        for (String backend : gateway.backendNames()) {
            try {
                gateway.capabilities(backend).sparkVersions().forEach(version ->
                        backendsByVersion.computeIfAbsent(version, key -> new ArrayList<>()).add(backend));
            }
            catch (RuntimeException e) {
                log.warn("Cannot read the capabilities of backend {}: {}", backend, e.toString());
            }
        }
        List<PoolStatus> pools = gateway.pools();
        List<Map<String, Object>> runtimes = new ArrayList<>();
        for (String version : gateway.sparkVersions()) {
            SparkRuntime runtime = gateway.runtimes().runtime(version);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("spark_version", version);
            view.put("spark_release", runtime.sparkVersion());
            view.put("backends", backendsByVersion.getOrDefault(version, List.of()));
            view.put("hot_pools", pools.stream()
                    .filter(pool -> pool.sparkVersion().equals(version))
                    .map(pool -> pool.backend() + "/" + pool.namespace())
                    .toList());
            runtimes.add(view);
        }
        ctx.json(Map.of("runtimes", runtimes));
    }

    static Map<String, Object> view(PoolStatus pool) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("backend", pool.backend());
        view.put("spark_version", pool.sparkVersion());
        view.put("namespace", pool.namespace());
        view.put("size", pool.size());
        view.put("idle", pool.idle());
        view.put("starting", pool.starting());
        view.put("hand_offs", pool.handOffs());
        view.put("cold_starts", pool.coldStarts());
        view.put("replaced", pool.replaced());
        view.put("last_hand_off_ms", pool.lastHandOffMillis());
        view.put("median_hand_off_ms", pool.medianHandOffMillis());
        return view;
    }
}
