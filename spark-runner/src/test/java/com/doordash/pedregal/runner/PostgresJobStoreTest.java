package com.doordash.pedregal.runner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The job store on PostgreSQL at 127.0.0.1:5432 (database {@code test}; override with
 * {@code DCP_TEST_POSTGRES_URL} / {@code DCP_TEST_POSTGRES_USER}). Each test gets a schema of its own.
 */
final class PostgresJobStoreTest extends JobStoreContract {
    private static final String URL = System.getenv().getOrDefault("DCP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("DCP_TEST_POSTGRES_USER", "postgres");

    private String schema;

    @Override
    protected StoreConfig freshDatabase() throws Exception {
        if (schema == null) {
            schema = "dcp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute("CREATE SCHEMA " + schema);
        }
        return new StoreConfig(URL + "?currentSchema=" + schema, USER, "", 4);
    }

    @AfterEach
    void dropSchema() throws Exception {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
