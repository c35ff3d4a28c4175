package com.doordash.pedregal.testcontainers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Waits until a Spark Connect server analyzed {@code SELECT 1} in a session of its own: a server's port opens before
 * it can run a query, so a port check alone lets a test's first query fail. (Analysis, not a collect: the answer of a
 * collect is Arrow data, which the client reads only with {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; a
 * readiness check should not depend on the test JVM's flags.) Each attempt has its own deadline (the client retries an
 * unreachable server for minutes on its own), and a server that stopped fails the wait at once.
 */
final class Readiness {
    /**
     * The first attempt's deadline, doubled for each next one up to {@link #LAST_ATTEMPT}: a port that accepts may
     * still not be the server's (a port mapping accepts for it), and then the client backs off on its own; a fresh
     * attempt starts with a fresh client.
     */
    private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(5);
    private static final Duration LAST_ATTEMPT = Duration.ofSeconds(40);

    private Readiness() {
    }

    /**
     * Returns once the server at {@code url} answered; throws {@link IllegalStateException} with the tail of {@code log}
     * when {@code alive} turns false or {@code timeout} passes.
     */
    static void await(Supplier<String> url, Duration timeout, BooleanSupplier alive, Supplier<String> log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ExecutorService attempts = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spark-connect-readiness");
            thread.setDaemon(true);
            return thread;
        });
        Throwable last = null;
        Duration attempt = FIRST_ATTEMPT;
        try {
            while (System.nanoTime() < deadline) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the Spark Connect server stopped before it answered a query; its"
                            + " log ends with:\n" + tail(log.get()));
                }
                String address = url.get();
                if (!accepts(address)) {
                    // Not listening yet. Only then a query: the client's own retries back off for up to a minute
                    // after a refused connection, which would hold a test long after the server came up.
                    Thread.sleep(100);
                    continue;
                }
                Future<String> answer = attempts.submit(() -> query(address));
                try {
                    long left = Math.min(attempt.toNanos(), deadline - System.nanoTime());
                    if (answer.get(Math.max(left, 1), TimeUnit.NANOSECONDS).equals("one")) {
                        return;
                    }
                }
                catch (ExecutionException e) {
                    last = e.getCause();
                }
                catch (TimeoutException e) {
                    answer.cancel(true);
                    last = e;
                    attempt = attempt.multipliedBy(2).compareTo(LAST_ATTEMPT) > 0 ? LAST_ATTEMPT : attempt.multipliedBy(2);
                }
                Thread.sleep(250);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark Connect", e);
        }
        finally {
            attempts.shutdownNow();
        }
        throw new IllegalStateException("Spark Connect did not analyze SELECT 1 within " + timeout.toSeconds() + " s;"
                + " last error: " + last + "; its log ends with:\n" + tail(log.get()), last);
    }

    /** Whether the {@code sc://host:port/...} address accepts a TCP connection. */
    private static boolean accepts(String address) {
        URI uri = URI.create(address.replaceFirst("^sc://", "http://"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static String query(String address) {
        SparkSession spark = SparkSession.builder().remote(address).create();
        try {
            return spark.sql("SELECT 1 AS one").schema().fieldNames()[0];
        }
        finally {
            try {
                spark.close();
            }
            catch (IOException | RuntimeException e) {
                // the answer counts; releasing the session is the server's business
            }
        }
    }

    static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
