package com.doordash.pedregal.coreetl.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.coreetl.TestSpark;
import java.nio.file.Files;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ReadOnlyExtensionsTest {
    private static final String TABLE = "pedregal.ro.target";

    @BeforeAll
    static void createTable() {
        SparkSession base = TestSpark.session();
        base.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.ro");
        base.sql("DROP TABLE IF EXISTS " + TABLE);
        base.sql("CREATE TABLE " + TABLE + " (id BIGINT, v STRING) USING iceberg");
        base.sql("INSERT INTO " + TABLE + " VALUES (1, 'a'), (2, 'b')");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO pedregal.ro.target VALUES (3, 'c')",
            "INSERT OVERWRITE pedregal.ro.target SELECT 9, 'z'",
            "CREATE TABLE pedregal.ro.ctas USING iceberg AS SELECT * FROM pedregal.ro.target",
            "CREATE OR REPLACE TABLE pedregal.ro.target USING iceberg AS SELECT 1 AS id",
            "CREATE TABLE pedregal.ro.created (id INT) USING iceberg",
            "DROP TABLE pedregal.ro.target",
            "ALTER TABLE pedregal.ro.target ADD COLUMN extra STRING",
            "ALTER TABLE pedregal.ro.target SET TBLPROPERTIES ('k' = 'v')",
            "TRUNCATE TABLE pedregal.ro.target",
            "CREATE NAMESPACE pedregal.other",
            "DROP NAMESPACE pedregal.ro CASCADE",
            "DELETE FROM pedregal.ro.target WHERE id = 1",
            "UPDATE pedregal.ro.target SET v = 'x' WHERE id = 1",
            "MERGE INTO pedregal.ro.target t USING (SELECT 1 AS id, 'm' AS v) s ON t.id = s.id "
                    + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
            "CALL pedregal.system.expire_snapshots(table => 'ro.target')",
            "CREATE VIEW spark_catalog.default.persistent_view AS SELECT 1 AS one",
            "CREATE FUNCTION spark_catalog.default.my_upper AS 'org.apache.spark.sql.catalyst.expressions.Upper'",
            "SET spark.sql.catalog.pedregal.warehouse=/tmp/elsewhere",
            "SET spark.sql.catalog.evil=org.apache.iceberg.spark.SparkCatalog",
            "CACHE TABLE pedregal.ro.target",
    })
    void refusesWritesAndDdlAndLeavesTheTableUnchanged(String statement) {
        SparkSession guarded = GuardedSpark.session();
        assertThatThrownBy(() -> guarded.sql(statement).collectAsList())
                .isInstanceOf(ReadOnlyViolationException.class)
                .hasMessageStartingWith("the test cluster is read-only: ")
                .hasMessageEndingWith(" is not allowed (writes happen in 'run', in a playground)");
        assertTableUnchanged();
    }

    @Test
    void namesTheStatementAndTableInTheMessage() {
        assertThatThrownBy(() -> GuardedSpark.session().sql("INSERT INTO pedregal.ro.target VALUES (3, 'c')"))
                .hasMessage("the test cluster is read-only: INSERT INTO pedregal.ro.target is not allowed "
                        + "(writes happen in 'run', in a playground)");
    }

    @Test
    void refusesDataFrameWriters() throws Exception {
        SparkSession guarded = GuardedSpark.session();
        var data = guarded.table(TABLE);
        assertThatThrownBy(() -> data.writeTo(TABLE).append()).isInstanceOf(ReadOnlyViolationException.class);
        assertThatThrownBy(() -> data.writeTo(TABLE).overwritePartitions()).isInstanceOf(ReadOnlyViolationException.class);
        assertThatThrownBy(() -> data.write().mode("append").saveAsTable(TABLE)).isInstanceOf(ReadOnlyViolationException.class);
        String path = Files.createTempDirectory("ro-write").resolve("out").toString();
        assertThatThrownBy(() -> data.write().parquet(path)).isInstanceOf(ReadOnlyViolationException.class);
        assertThat(new java.io.File(path)).doesNotExist();
        assertTableUnchanged();
    }

    @Test
    void allowsReadsTemporaryViewsAndSessionCommands() {
        SparkSession guarded = GuardedSpark.session().newSession();
        assertThat(guarded.sql("SELECT count(*) FROM " + TABLE).collectAsList().get(0).getLong(0)).isEqualTo(2);
        guarded.sql("CREATE OR REPLACE TEMPORARY VIEW ro_temp AS SELECT id FROM " + TABLE);
        guarded.table(TABLE).createOrReplaceTempView("ro_df_view");
        guarded.table(TABLE).createOrReplaceGlobalTempView("ro_global_view");
        assertThat(guarded.sql("SELECT * FROM ro_temp JOIN ro_df_view USING (id)").count()).isEqualTo(2);
        guarded.sql("DROP VIEW ro_temp");
        guarded.sql("DROP VIEW global_temp.ro_global_view");
        guarded.sql("SET spark.sql.shuffle.partitions=2");
        guarded.sql("SET spark.sql.catalog.pedregal.warehouse").collectAsList();
        guarded.sql("SHOW TABLES IN pedregal.ro").collectAsList();
        guarded.sql("DESCRIBE TABLE " + TABLE).collectAsList();
        guarded.sql("EXPLAIN SELECT * FROM " + TABLE).collectAsList();
        guarded.sql("USE pedregal.ro");
        assertThat(guarded.sql("SELECT count(*) FROM target").collectAsList().get(0).getLong(0)).isEqualTo(2);
    }

    private static void assertTableUnchanged() {
        SparkSession base = TestSpark.session();
        assertThat(base.catalog().tableExists(TABLE)).isTrue();
        List<Row> rows = base.sql("SELECT id, v FROM " + TABLE + " ORDER BY id").collectAsList();
        assertThat(rows.toString()).isEqualTo("[[1,a], [2,b]]");
        assertThat(base.table(TABLE).columns()).containsExactly("id", "v");
        assertThat(base.catalog().tableExists("pedregal.ro.ctas")).isFalse();
        assertThat(base.catalog().tableExists("pedregal.ro.created")).isFalse();
        assertThat(base.sql("SHOW NAMESPACES IN pedregal LIKE 'other'").count()).isZero();
    }
}
