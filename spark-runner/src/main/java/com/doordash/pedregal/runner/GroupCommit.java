package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores accepted jobs in groups: submits that arrive while a group commits share the next transaction, so one
 * commit (one page write on H2, one fsync on PostgreSQL) serves many of them. {@link #insert} returns once the job's
 * group is committed, so an accepted job is on disk before it is answered.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_GROUP = 256;

    private final JdbcJobStore store;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    GroupCommit(JdbcJobStore store) {
        this.store = requireNonNull(store, "store is null");
        this.writer = Daemons.named("dcp-runner-commit").newThread(this::write);
        writer.start();
    }

    /**
     * Stores {@code job} with the others waiting; fails as {@link JdbcJobStore#insert} does (for example with
     * {@link IdempotencyKeyTakenException}), or with UNAVAILABLE when the runner is closing.
     */
    void insert(Job job) {
        Pending pending = new Pending(job, new CompletableFuture<>());
        if (closed) {
            throw closing();
        }
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            throw closing();
        }
        try {
            pending.done().join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private void write() {
        List<Pending> group = new ArrayList<>();
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commit(group);
            }
            catch (InterruptedException e) {
                break;
            }
            catch (RuntimeException e) {
                log.error("Cannot store accepted jobs", e);
                group.forEach(pending -> pending.done().completeExceptionally(e));
            }
            group.clear();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> pending.done().completeExceptionally(closing()));
    }

    private void commit(List<Pending> group) {
        try {
            store.insertAll(group.stream().map(Pending::job).toList());
            group.forEach(pending -> pending.done().complete(null));
        }
        catch (RuntimeException e) {
            // One job broke the group (a taken idempotency key): each on its own, so each gets its own answer.
            for (Pending pending : group) {
                try {
                    store.insert(pending.job());
                    pending.done().complete(null);
                }
                catch (RuntimeException failure) {
                    pending.done().completeExceptionally(failure);
                }
            }
        }
    }

    private static PlatformException closing() {
        return new PlatformException(ErrorCode.UNAVAILABLE, "the server is stopping; retry with the same idempotency key");
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(10_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(Job job, CompletableFuture<Void> done) {
    }
}
