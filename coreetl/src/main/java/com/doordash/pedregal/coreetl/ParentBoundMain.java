package com.doordash.pedregal.coreetl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class in a JVM that must not outlive the process that started it: the parent keeps this
 * process's standard input open and never writes to it, so end of input means the parent is gone — also after a
 * {@code kill -9}, when the kernel closes the pipe — and the JVM halts at once.
 *
 * <p>The platform starts its shared test cluster this way ({@code ParentBoundMain org.apache.spark.deploy.SparkSubmit
 * ...}), so a crashed server leaves no cluster behind for its restart to duplicate.
 */
public final class ParentBoundMain {
    /** The exit code when the parent went away. */
    static final int PARENT_GONE = 143;

    private ParentBoundMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentBoundMain <main class> [arguments...]");
        }
        watch(System.in);
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        }
        catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Halts the JVM when {@code parent} reaches its end (or fails); input is discarded meanwhile. */
    static Thread watch(InputStream parent) {
        Thread watcher = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                while (parent.read(buffer) >= 0) {
                    // the parent writes nothing; anything it did is ignored
                }
            }
            catch (IOException e) {
                // a broken pipe is a parent gone too
            }
            Runtime.getRuntime().halt(PARENT_GONE);
        }, "dcp-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }
}
