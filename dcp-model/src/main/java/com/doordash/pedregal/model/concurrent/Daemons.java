package com.doordash.pedregal.model.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The platform's background threads: daemons (they never keep a JVM alive), named for thread dumps. */
public final class Daemons {
    private Daemons() {
    }

    /** Makes daemon threads named {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops {@code executor}: interrupts its tasks and waits up to {@code wait} for them to end. */
    public static void shutdown(ExecutorService executor, Duration wait) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
