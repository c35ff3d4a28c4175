package com.doordash.pedregal.testcontainers.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of {@code LocalSparkConnect}'s child JVM: runs Spark's Connect server and halts the JVM when its
 * standard input closes, which happens when the test JVM that started it ends, also when it is killed. Uses nothing
 * but the JDK: it runs on Spark's class path.
 */
public final class ParentBoundServer {
    static final String SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer";

    private ParentBoundServer() {
    }

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent writes nothing: wait for the end of the stream
                }
            }
            catch (IOException e) {
                // the pipe broke: the parent is gone as well
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Class.forName(SERVER_CLASS).getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
