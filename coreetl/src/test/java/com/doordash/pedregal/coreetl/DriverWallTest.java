package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The playground wall in a session of its own on the shared SparkContext; each test arms it and disarms it after. */
final class DriverWallTest {
    private static final String PLAYGROUND = "pedregal.pg_wall";
    private static final String PRODUCTION = "pedregal.wall_prod.orders";
    private static SparkSession wall;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void createWallSessionAndProductionTable() {
        SparkSession base = TestSpark.withDemoData();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        try {
            wall = SparkSession.builder().withExtensions(new DriverWall()).getOrCreate();
        }
        finally {
            SparkSession.setDefaultSession(base);
            SparkSession.setActiveSession(base);
        }
        DriverWall.disarm();
        wall.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.wall_prod");
        wall.sql("CREATE TABLE IF NOT EXISTS " + PRODUCTION + " (id BIGINT, v STRING) USING iceberg");
        wall.sql("INSERT INTO " + PRODUCTION + " VALUES (1, 'a'), (2, 'b')");
        wall.sql("CREATE NAMESPACE IF NOT EXISTS " + PLAYGROUND);
    }

    @BeforeEach
    void arm() {
        DriverWall.disarm();
        DriverWall.arm(PLAYGROUND);
    }

    @AfterEach
    void disarm() {
        DriverWall.disarm();
        wall.conf().unset(DriverWall.PLAYGROUND_CONF);
    }

    @Test
    void coreEtlJobArmedForAPlaygroundWritesItsSinkThere() {
        DriverWall.disarm(); // armed by CoreEtlMain from the session's conf, as in a driver
        String table = TestSpark.uniqueName("orders");
        String spec = spec("pedregal", "pg_wall", table, "append");
        wall.conf().set(DriverWall.PLAYGROUND_CONF, PLAYGROUND);

        assertThat(runJob(spec)).as(stderr()).isZero();
        assertThat(runJob(spec("pedregal", "pg_wall", table, "overwrite"))).as(stderr()).isZero();
        assertThat(runJob(spec)).as(stderr()).isZero();

        assertThat(DriverWall.armed()).contains(DriverWall.Scope.playground(PLAYGROUND));
        assertThat(stdout()).isEqualTo(("CoreETL SUCCEEDED: wrote 3 rows to pedregal.pg_wall.%s\n").repeat(3).formatted(table, table, table));
        assertThat(wall.table(PLAYGROUND + "." + table).count()).isEqualTo(6);
    }

    @Test
    void coreEtlJobWritingToProductionIsRefusedAndLeavesTheTableUnchanged() throws Exception {
        long rows = wall.table(PRODUCTION).count();
        int snapshots = snapshots(PRODUCTION);
        String spec = """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "wall_prod", "table": "orders"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "wall_prod", "table": "orders"}]}""";

        int code = runJob(spec);

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).isEqualTo("CoreETL: playground write wall armed: this run writes only to tables of pedregal.pg_wall\n"
                + "CoreETL FAILED: sinks[0] (pedregal.wall_prod.orders): playground run may write only to"
                + " pedregal.pg_wall: refused CREATE NAMESPACE pedregal.wall_prod\n");
        assertThat(wall.table(PRODUCTION).count()).isEqualTo(rows);
        assertThat(snapshots(PRODUCTION)).isEqualTo(snapshots);
    }

    @Test
    void coreEtlJobWithTheKeyButWithoutTheWallFailsInsteadOfRunningUnguarded() {
        DriverWall.disarm();
        SparkSession unguarded = TestSpark.withDemoData();
        unguarded.conf().set(DriverWall.PLAYGROUND_CONF, PLAYGROUND);
        int code;
        try {
            code = CoreEtlMain.run(args(spec("pedregal", "pg_wall", "never", "append")), print(out), print(err),
                    () -> unguarded, false);
        }
        finally {
            unguarded.conf().unset(DriverWall.PLAYGROUND_CONF);
        }

        assertThat(code).isEqualTo(1);
        assertThat(stderr()).isEqualTo("CoreETL FAILED: wall: the driver's wall is asked for (playground run may write"
                + " only to pedregal.pg_wall) but this Spark session has none (it must be built with"
                + " SparkSession.builder().withExtensions(new DriverWall())); refusing to run the job unguarded\n");
        assertThat(DriverWall.armed()).isEmpty();
        assertThat(wall.catalog().tableExists("pedregal.pg_wall.never")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO pedregal.wall_prod.orders VALUES (3, 'c')",
            "INSERT OVERWRITE pedregal.wall_prod.orders SELECT 9, 'z'",
            "INSERT INTO pedregal.wall_prod.orders SELECT * FROM pedregal.pg_wall.kept",
            "CREATE TABLE pedregal.wall_prod.ctas USING iceberg AS SELECT * FROM pedregal.wall_prod.orders",
            "CREATE OR REPLACE TABLE pedregal.wall_prod.orders USING iceberg AS SELECT 1 AS id",
            "CREATE TABLE pedregal.wall_prod.created (id INT) USING iceberg",
            "CREATE TABLE pedregal.pg_wall.located (id INT) USING iceberg LOCATION '/tmp/pg-wall-elsewhere'",
            "CREATE TABLE pedregal.pg_wall.moved (id INT) USING iceberg TBLPROPERTIES ('write.data.path' = '/tmp/x')",
            "DROP TABLE pedregal.wall_prod.orders",
            "DROP TABLE pedregal.wall_prod.orders PURGE",
            "ALTER TABLE pedregal.wall_prod.orders ADD COLUMN extra STRING",
            "ALTER TABLE pedregal.wall_prod.orders SET TBLPROPERTIES ('k' = 'v')",
            "ALTER TABLE pedregal.pg_wall.kept RENAME TO wall_prod.stolen",
            "ALTER TABLE pedregal.wall_prod.orders ADD PARTITION FIELD v",
            "TRUNCATE TABLE pedregal.wall_prod.orders",
            "DELETE FROM pedregal.wall_prod.orders WHERE id = 1",
            "UPDATE pedregal.wall_prod.orders SET v = 'x' WHERE id = 1",
            "MERGE INTO pedregal.wall_prod.orders t USING (SELECT 1 AS id, 'm' AS v) s ON t.id = s.id "
                    + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
            "CREATE NAMESPACE pedregal.other",
            "CREATE NAMESPACE IF NOT EXISTS pedregal.pg_wall_2",
            "DROP NAMESPACE pedregal.pg_wall CASCADE",
            "DROP NAMESPACE pedregal.wall_prod CASCADE",
            "ALTER NAMESPACE pedregal.pg_wall SET PROPERTIES ('k' = 'v')",
            "CALL pedregal.system.expire_snapshots(table => 'wall_prod.orders')",
            "CREATE VIEW spark_catalog.default.persistent_view AS SELECT 1 AS one",
            "INSERT OVERWRITE DIRECTORY '/tmp/pg-wall-dir' USING parquet SELECT * FROM pedregal.wall_prod.orders",
            "SET spark.pedregal.playground.namespace=pedregal.wall_prod",
            "SET spark.sql.catalog.pedregal.warehouse=/tmp/elsewhere",
            "SET spark.sql.catalog.evil=org.apache.iceberg.spark.SparkCatalog",
            "ADD JAR /tmp/evil.jar",
    })
    void refusesWritesAndDdlOutsideThePlaygroundAndLeavesProductionUnchanged(String statement) throws Exception {
        wall.sql("CREATE TABLE IF NOT EXISTS pedregal.pg_wall.kept (id BIGINT, v STRING) USING iceberg");
        long rows = wall.table(PRODUCTION).count();
        int snapshots = snapshots(PRODUCTION);

        assertThatThrownBy(() -> wall.sql(statement).collectAsList())
                .isInstanceOf(WriteRefusedException.class)
                .hasMessageStartingWith("playground run may write only to pedregal.pg_wall: refused ");

        assertThat(wall.table(PRODUCTION).count()).isEqualTo(rows);
        assertThat(snapshots(PRODUCTION)).isEqualTo(snapshots);
        assertThat(wall.conf().get(DriverWall.PLAYGROUND_CONF, null)).isNull();
        assertThat(new File("/tmp/pg-wall-dir")).doesNotExist();
        assertThat(wall.catalog().tableExists("pedregal.pg_wall.located")).isFalse();
        assertThat(wall.catalog().tableExists("pedregal.pg_wall.kept")).isTrue();
    }

    @Test
    void aTeamRunWritesItsOwnNamespacesOnlyAndNeverAnotherTeamsPlayground() throws Exception {
        DriverWall.disarm();
        wall.sql("CREATE TABLE IF NOT EXISTS pedregal.pg_wall.kept (id BIGINT, v STRING) USING iceberg");
        DriverWall.arm(DriverWall.Scope.team("ads", "pedregal.wall_ads*", false));
        wall.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.wall_ads_daily");
        String own = "pedregal.wall_ads_daily." + TestSpark.uniqueName("t");
        long playgroundRows = wall.table("pedregal.pg_wall.kept").count();

        wall.sql("CREATE TABLE " + own + " USING iceberg AS SELECT * FROM " + PRODUCTION);
        wall.sql("INSERT INTO " + own + " VALUES (7, 'g')");

        assertThat(wall.table(own).count()).isEqualTo(wall.table(PRODUCTION).count() + 1);
        assertThatThrownBy(() -> wall.sql("INSERT INTO pedregal.pg_wall.kept VALUES (1, 'overwritten by ads')"))
                .isInstanceOf(WriteRefusedException.class)
                .hasMessage("team ads may write only to pedregal.wall_ads*: refused INSERT INTO pedregal.pg_wall.kept");
        assertThatThrownBy(() -> wall.sql("INSERT OVERWRITE " + PRODUCTION + " SELECT 9, 'z'"))
                .hasMessage("team ads may write only to pedregal.wall_ads*: refused INSERT OVERWRITE " + PRODUCTION);
        assertThat(wall.table("pedregal.pg_wall.kept").count()).isEqualTo(playgroundRows);
    }

    @Test
    void aTeamWithoutNamespacesWritesNothing() {
        DriverWall.disarm();
        DriverWall.arm(DriverWall.Scope.team("growth", "", false));

        assertThatThrownBy(() -> wall.sql("CREATE TABLE pedregal.wall_prod.growth (id INT) USING iceberg"))
                .hasMessage("team growth may write no table: refused CREATE TABLE wall_prod.growth");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT reflect('java.lang.System', 'exit', 0)",
            "SELECT java_method('java.lang.System', 'getenv', 'HOME')",
            "SELECT TRANSFORM(id) USING 'cat /etc/passwd' AS (line) FROM pedregal.wall_prod.orders",
            "CREATE TEMPORARY FUNCTION my_upper AS 'org.apache.spark.sql.catalyst.expressions.Upper'",
    })
    void withoutCustomCodeSqlThatReachesTheJvmIsRefused(String statement) {
        DriverWall.disarm();
        DriverWall.arm(DriverWall.Scope.team("ads", "pedregal.wall_ads*", false));

        assertThatThrownBy(() -> wall.sql(statement).collectAsList())
                .isInstanceOf(WriteRefusedException.class)
                .hasMessageStartingWith("team ads may not run code of its own: refused ")
                .hasMessageEndingWith(" (policy.custom-code.teams)");
    }

    @Test
    void withoutCustomCodeOnlyTablesAreRead() throws Exception {
        DriverWall.disarm();
        DriverWall.arm(DriverWall.Scope.team("ads", "pedregal.wall_ads*", false));
        java.nio.file.Path secret = Files.createTempFile("wall-secret", ".txt");
        Files.writeString(secret, "the secret\n");

        assertThatThrownBy(() -> wall.sql("SELECT value FROM text.`" + secret + "`").collectAsList())
                .isInstanceOf(WriteRefusedException.class)
                .hasMessageStartingWith("team ads reads tables only: refused ");
        assertThatThrownBy(() -> wall.read().text(secret.toString()).collectAsList())
                .hasMessage("team ads reads tables only: refused files file:" + secret + " (a path-based or external data source)");
        assertThat(wall.sql("SELECT count(*) FROM " + PRODUCTION).collectAsList().get(0).getLong(0)).isPositive();
    }

    @Test
    void aTeamAllowedCustomCodeMayCallTheJvmButStillWritesOnlyItsNamespaces() {
        DriverWall.disarm();
        DriverWall.arm(DriverWall.Scope.team("ml", "pedregal.wall_ml", true));

        assertThat(wall.sql("SELECT java_method('java.lang.String', 'valueOf', 42) AS v").collectAsList().get(0).getString(0))
                .isEqualTo("42");
        assertThatThrownBy(() -> wall.sql("INSERT INTO " + PRODUCTION + " VALUES (3, 'c')"))
                .hasMessage("team ml may write only to pedregal.wall_ml: refused INSERT INTO " + PRODUCTION);
    }

    @Test
    void aPlaygroundRunMayNeverRunCodeOfItsOwn() {
        assertThatThrownBy(() -> wall.sql("SELECT reflect('java.lang.System', 'exit', 0)").collectAsList())
                .hasMessage("a playground run may not run code of its own: refused reflect(...) (it calls a JVM method)");
    }

    @Test
    void messageNamesTheStatementAndTheTable() {
        assertThatThrownBy(() -> wall.sql("INSERT INTO pedregal.wall_prod.orders VALUES (3, 'c')"))
                .hasMessage("playground run may write only to pedregal.pg_wall: refused INSERT INTO pedregal.wall_prod.orders");
        assertThatThrownBy(() -> wall.sql("DROP TABLE pedregal.wall_prod.orders"))
                .hasMessage("playground run may write only to pedregal.pg_wall: refused DROP TABLE pedregal.wall_prod.orders");
        assertThatThrownBy(() -> wall.sql("SET spark.pedregal.playground.namespace=pedregal.wall_prod"))
                .hasMessage("playground run may write only to pedregal.pg_wall: refused SET spark.pedregal.playground.namespace");
    }

    @Test
    void refusesDataFrameWritesOutsideThePlayground() throws Exception {
        var data = wall.table(PRODUCTION);
        String path = Files.createTempDirectory("pg-wall").resolve("out").toString();
        long rows = data.count();

        assertThatThrownBy(() -> data.writeTo(PRODUCTION).append()).isInstanceOf(WriteRefusedException.class);
        assertThatThrownBy(() -> data.writeTo(PRODUCTION).overwritePartitions()).isInstanceOf(WriteRefusedException.class);
        assertThatThrownBy(() -> data.writeTo("pedregal.wall_prod.new_one").create()).isInstanceOf(WriteRefusedException.class);
        assertThatThrownBy(() -> data.write().mode("append").saveAsTable(PRODUCTION)).isInstanceOf(WriteRefusedException.class);
        assertThatThrownBy(() -> data.write().parquet(path))
                .isInstanceOf(WriteRefusedException.class)
                .hasMessageStartingWith("playground run may write only to pedregal.pg_wall: refused a write to the path ");

        assertThat(new File(path)).doesNotExist();
        assertThat(wall.table(PRODUCTION).count()).isEqualTo(rows);
    }

    @Test
    void allowsWritesAndDdlOnTablesOfThePlayground() throws Exception {
        String table = PLAYGROUND + "." + TestSpark.uniqueName("t");

        wall.sql("CREATE NAMESPACE IF NOT EXISTS " + PLAYGROUND);
        wall.sql("CREATE TABLE " + table + " (id BIGINT, v STRING) USING iceberg PARTITIONED BY (bucket(2, id))");
        wall.sql("INSERT INTO " + table + " SELECT id, v FROM " + PRODUCTION);
        wall.sql("INSERT INTO " + table + " VALUES (7, 'x')");
        wall.sql("UPDATE " + table + " SET v = 'u' WHERE id = 1");
        wall.sql("DELETE FROM " + table + " WHERE id = 2");
        wall.sql("MERGE INTO " + table + " t USING (SELECT 7 AS id, 'm' AS v) s ON t.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
        wall.sql("ALTER TABLE " + table + " ADD COLUMN extra STRING");
        wall.sql("ALTER TABLE " + table + " SET TBLPROPERTIES ('k' = 'v')");
        wall.sql("ALTER TABLE " + table + " ADD PARTITION FIELD v");
        assertThat(wall.sql("SELECT id, v FROM " + table + " ORDER BY id").collectAsList().toString()).isEqualTo("[[1,u], [7,m]]");
        wall.table(PRODUCTION).writeTo(table + "_copy").create();
        wall.table(PRODUCTION).writeTo(table + "_copy").overwrite(org.apache.spark.sql.functions.lit(true));
        wall.sql("CREATE OR REPLACE TABLE " + table + "_ctas USING iceberg AS SELECT * FROM " + PRODUCTION);
        wall.sql("TRUNCATE TABLE " + table + "_ctas");
        wall.sql("DROP TABLE " + table + "_ctas");
        wall.sql("DROP TABLE " + table + " PURGE");

        assertThat(wall.table(table + "_copy").count()).isEqualTo(wall.table(PRODUCTION).count());
        assertThat(wall.catalog().tableExists(table)).isFalse();
    }

    @Test
    void readsTempViewsAndSessionSettingsStayAllowed() {
        wall.sql("CREATE OR REPLACE TEMPORARY VIEW wall_view AS SELECT * FROM " + PRODUCTION + " WHERE id = 1");
        wall.table(PRODUCTION).createOrReplaceTempView("wall_view_2");
        wall.sql("SET spark.sql.shuffle.partitions=3");
        wall.sql("USE pedregal.wall_prod");
        wall.sql("CACHE TABLE wall_view");
        wall.sql("UNCACHE TABLE wall_view");

        assertThat(wall.sql("SELECT count(*) FROM wall_view").collectAsList().get(0).getLong(0)).isEqualTo(1);
        assertThat(wall.sql("SELECT count(*) FROM orders").collectAsList().get(0).getLong(0)).isPositive();
        assertThat(wall.sql("SHOW TABLES IN pedregal.wall_prod").collectAsList()).isNotEmpty();
        assertThat(wall.sql("DESCRIBE TABLE " + PRODUCTION).collectAsList()).isNotEmpty();
        wall.sql("DROP VIEW wall_view");
        wall.sql("USE spark_catalog.default");
        wall.sql("RESET spark.sql.shuffle.partitions");
    }

    @Test
    void unarmedWallChangesNothing() {
        DriverWall.disarm();
        String table = "pedregal.wall_prod." + TestSpark.uniqueName("free");

        wall.sql("CREATE TABLE " + table + " USING iceberg AS SELECT * FROM " + PRODUCTION);
        wall.sql("DROP TABLE " + table);

        assertThat(DriverWall.armed()).isEmpty();
    }

    @Test
    void armIsSetOnceAndNamesANamespaceOfACatalog() {
        DriverWall.arm(PLAYGROUND); // the same again: nothing changes

        assertThatThrownBy(() -> DriverWall.arm("pedregal.wall_prod"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the driver's wall is armed for playground run may write only to pedregal.pg_wall already;"
                        + " it cannot be changed to playground run may write only to pedregal.wall_prod");
        DriverWall.disarm();
        assertThatThrownBy(() -> DriverWall.arm("pg_wall"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spark.pedregal.playground.namespace: \"pg_wall\" is not <catalog>.<namespace>"
                        + " (for example pedregal.pg_team_user_name)");
        assertThatThrownBy(() -> DriverWall.arm("pedregal.a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DriverWall.armed()).isEmpty();
        assertThat(DriverWall.installedIn(wall)).isTrue();
        assertThat(DriverWall.installedIn(TestSpark.session())).isFalse();
    }

    private static String spec(String catalog, String database, String table, String mode) {
        return """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_id <= 3"}],
                 "sinks": [{"type": "iceberg", "catalog": "%s", "database": "%s", "table": "%s", "mode": "%s"}]}"""
                .formatted(catalog, database, table, mode);
    }

    private int runJob(String spec) {
        return CoreEtlMain.run(args(spec), print(out), print(err), () -> wall, false);
    }

    private static String[] args(String spec) {
        return new String[] {"--spec-base64", Base64.getEncoder().encodeToString(spec.getBytes(StandardCharsets.UTF_8))};
    }

    private static int snapshots(String table) throws Exception {
        Table iceberg = Spark3Util.loadIcebergTable(wall, table);
        iceberg.refresh();
        int count = 0;
        for (var ignored : iceberg.snapshots()) {
            count++;
        }
        return count;
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
