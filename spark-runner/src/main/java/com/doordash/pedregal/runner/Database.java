package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The platform's database (H2 or PostgreSQL): a connection pool, with its schema brought up to date by Flyway from the
 * migration locations of the modules that keep tables in it. The composition root opens it once, with every module's
 * location (the runner's {@link JdbcJobStore#MIGRATIONS}, the server's playgrounds), and hands it to the stores.
 *
 * <p>Migration versions are one sequence across modules (one history table): a new migration takes the next free
 * number of the whole platform.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Connects to the database of {@code config} and applies the migrations found in {@code migrationLocations}. */
    public static Database open(StoreConfig config, List<String> migrationLocations) {
        requireNonNull(config, "config is null");
        requireNonNull(migrationLocations, "migrationLocations is null");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        if (!config.username().isEmpty()) {
            hikari.setUsername(config.username());
        }
        if (!config.password().isEmpty()) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setPoolName("dcp-store");
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(dataSource).locations(migrationLocations.toArray(String[]::new)).load().migrate();
        }
        catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    /** For the stores' queries. */
    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
