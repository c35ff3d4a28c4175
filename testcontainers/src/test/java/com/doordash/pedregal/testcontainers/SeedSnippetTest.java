package com.doordash.pedregal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The seed README's "Run Tests with TestContainers" snippet, as printed. */
@RequiresDocker
@Testcontainers
class SeedSnippetTest {
    @BeforeAll
    static void images() throws Exception {
        RuntimeImages.build();
    }

    @Container
    SparkContainer spark = SparkContainer.builder()
        .withDriverMemory(2048)
        .withSparkConfig("spark.sql.shuffle.partitions", "4")
        .build();

    @Test
    void seedQueryAnswersThroughSparkConnectInTheContainer() throws Exception {
        // Connect via Spark Connect
        SparkSession session = SparkSession.builder()
            .remote(spark.getSparkConnectUrl())  // sc://localhost:xxxxx
            .getOrCreate();

        // Run queries
        Dataset<Row> df = session.sql("SELECT 1 as id, 'hello' as message");

        List<Row> rows = df.collectAsList();
        assertThat(spark.getSparkConnectUrl()).matches("sc://localhost:\\d+/");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getInt(0)).isEqualTo(1);
        assertThat(rows.get(0).getString(1)).isEqualTo("hello");
        assertThat(session.conf().get("spark.sql.shuffle.partitions")).isEqualTo("4");
        session.close();
    }
}
