package com.doordash.pedregal.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.SubmitJobRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class GroupCommitTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final Database database = Database.open(new StoreConfig("jdbc:h2:mem:" + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1", "", "", 8), List.of(JdbcJobStore.MIGRATIONS));
    private final JdbcJobStore store = new JdbcJobStore(database);
    private final GroupCommit inserts = new GroupCommit(store);

    @AfterEach
    void close() {
        inserts.close();
        database.close();
    }

    @Test
    void concurrentInsertsAreAllStoredOnceTheyReturn() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Job>> stored = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                stored.add(clients.submit(() -> {
                    Job job = JobStoreContract.job("team-a", T0);
                    inserts.insert(job);
                    return job;
                }));
            }
            for (Future<Job> future : stored) {
                Job job = future.get(30, TimeUnit.SECONDS);
                assertThat(store.find(job.jobId())).isPresent();
            }
        }
        finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aTakenIdempotencyKeyFailsItsOwnInsertOnly() throws Exception {
        Job first = withKey(JobStoreContract.job("team-a", T0), "key-1");
        Job second = withKey(JobStoreContract.job("team-a", T0), "key-1");
        Job other = JobStoreContract.job("team-a", T0);
        inserts.insert(first);

        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<?> duplicate = clients.submit(() -> inserts.insert(second));
            Future<?> fine = clients.submit(() -> inserts.insert(other));

            assertThat(catchCause(duplicate)).isInstanceOf(IdempotencyKeyTakenException.class);
            fine.get(30, TimeUnit.SECONDS);
        }
        finally {
            clients.shutdownNow();
        }
        assertThat(store.find(other.jobId())).isPresent();
        assertThat(store.find(second.jobId())).isEmpty();
    }

    private static Throwable catchCause(Future<?> future) throws InterruptedException {
        try {
            future.get(30, TimeUnit.SECONDS);
            return null;
        }
        catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static Job withKey(Job job, String key) {
        SubmitJobRequest r = job.request();
        return Job.accepted(job.jobId(), job.executionId(),
                new SubmitJobRequest(r.name(), r.team(), r.user(), r.config(), key, null, null), job.createdAt());
    }
}
