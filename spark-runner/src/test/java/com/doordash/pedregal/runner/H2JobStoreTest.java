package com.doordash.pedregal.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job store on the embedded default: an H2 file database. */
final class H2JobStoreTest extends JobStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected StoreConfig freshDatabase() {
        return new StoreConfig(StoreConfig.h2Url(dataDir), "", "", 4);
    }

    @Test
    void jobsSurviveReopeningTheDatabaseFile() {
        Job job = job("team-a", Instant.parse("2026-11-21T10:00:00Z"));
        store.insert(job);
        store.transition(job.jobId(), EnumSet.of(JobState.PENDING),
                StateUpdate.to(JobState.CANCELLED, Instant.parse("2026-11-21T10:00:05Z"), "cancelled by request"));
        database.close();

        database = Database.open(freshDatabase(), List.of(JdbcJobStore.MIGRATIONS));
        store = new JdbcJobStore(database);

        Job found = store.find(job.jobId()).orElseThrow();
        assertThat(found.state()).isEqualTo(JobState.CANCELLED);
        assertThat(found.history()).extracting(Transition::reason).containsExactly("accepted", "cancelled by request");
    }
}
