package com.doordash.pedregal.runner;

import java.util.concurrent.ThreadFactory;

/** Thread factories of the runner's background work: daemon threads, named for thread dumps. */
final class Daemons {
    private Daemons() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
