package com.doordash.pedregal.server.playground;

import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.runner.Database;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.server.SpecTester;
import java.time.Clock;
import java.util.List;

/** Wires playgrounds and the manifest plugins (SparkJob, DerivedDataset) onto the platform's store, runner and gateway. */
public record Playgrounds(PlaygroundService playgrounds, ManifestService manifests) implements AutoCloseable {
    /** Where the playgrounds' migrations live, for {@link Database#open}. */
    public static final String MIGRATIONS = "classpath:db/server";

    /** Builds both services on {@code database} (holding {@link #MIGRATIONS}) and starts the janitor. */
    public static Playgrounds start(PlaygroundConfig config, Database database, JobRunner runner, SparkGateway gateway,
            SpecTester tester, Clock clock) {
        PlaygroundStore store = new PlaygroundStore(database.jdbi());
        PlaygroundTables tables = new PlaygroundTables(gateway, config.toolTimeout());
        PlaygroundService playgrounds = new PlaygroundService(store, tables, runner, config, clock, gateway::anticipate);
        JobManifests jobs = new JobManifests(store, runner, tester, gateway.sparkVersions(), clock);
        ManifestService manifests = new ManifestService(List.of(new SparkJobPlugin(jobs), new DerivedDatasetPlugin(jobs, tables)),
                playgrounds);
        playgrounds.start();
        return new Playgrounds(playgrounds, manifests);
    }

    @Override
    public void close() {
        playgrounds.close();
    }
}
