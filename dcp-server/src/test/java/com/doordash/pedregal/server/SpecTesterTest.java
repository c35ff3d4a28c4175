package com.doordash.pedregal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.pedregal.model.TestSpecRequest;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tester against a "cluster" that accepts connections and never answers (a hung Spark Connect server, a real
 * socket on 127.0.0.1): calls end at their deadline or when the cluster goes away, a bounded number wait, and no
 * call holds up the others.
 */
final class SpecTesterTest {
    private static final Caller CALLER = new Caller("user@doordash.com", Set.of("data-infra"), false);
    private ServerSocket silent;
    private final List<Socket> accepted = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeEach
    void openSilentCluster() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    synchronized (accepted) {
                        accepted.add(silent.accept());
                    }
                }
                catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeSilentCluster() throws IOException {
        clients.shutdownNow();
        silent.close();
        synchronized (accepted) {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void callToAHungClusterEndsUnavailableAtItsDeadline() {
        try (SpecTester tester = new SpecTester(() -> Optional.of(where()), SpecTester.RESTARTING, 4, Duration.ofSeconds(2))) {
            long start = System.nanoTime();

            PlatformException e = catchThrowableOfType(PlatformException.class, () -> tester.test(request(), CALLER));

            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e).hasMessageContaining("did not answer within 2 s");
            assertThat(seconds).isBetween(1.9, 10.0);
        }
    }

    @Test
    void callsBeyondTheLimitAreRefusedAtOnceWhileOthersWait() throws Exception {
        try (SpecTester tester = new SpecTester(() -> Optional.of(where()), SpecTester.RESTARTING, 2, Duration.ofSeconds(5))) {
            List<CompletableFuture<ErrorCode>> waiting = List.of(outcome(tester), outcome(tester));
            Thread.sleep(500); // both are now waiting on the hung cluster
            long start = System.nanoTime();

            PlatformException third = catchThrowableOfType(PlatformException.class, () -> tester.test(request(), CALLER));

            assertThat((System.nanoTime() - start) / 1e6).as("refused at once (ms)").isLessThan(500);
            assertThat(third.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(third).hasMessageContaining("2 tests are already waiting on the test cluster");
            for (CompletableFuture<ErrorCode> call : waiting) {
                assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(ErrorCode.UNAVAILABLE);
            }
        }
    }

    @Test
    void clusterGoingAwayEndsEveryWaitingCallPromptly() throws Exception {
        AtomicReference<Optional<String>> connection = new AtomicReference<>(Optional.of(where()));
        try (SpecTester tester = new SpecTester(connection::get, SpecTester.RESTARTING, 50, Duration.ofSeconds(60))) {
            List<CompletableFuture<ErrorCode>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(outcome(tester));
            }
            Thread.sleep(500);
            long start = System.nanoTime();

            connection.set(Optional.empty()); // the supervisor saw the cluster die and restarts it

            for (CompletableFuture<ErrorCode> call : calls) {
                assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(ErrorCode.UNAVAILABLE);
            }
            assertThat((System.nanoTime() - start) / 1e9).as("seconds until every call ended").isLessThan(5);
        }
    }

    private CompletableFuture<ErrorCode> outcome(SpecTester tester) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                tester.test(request(), CALLER);
                return null;
            }
            catch (PlatformException e) {
                return e.code();
            }
        }, clients);
    }

    private String where() {
        return "sc://127.0.0.1:" + silent.getLocalPort();
    }

    private static TestSpecRequest request() {
        CoreEtlSpec spec = Json.read("""
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "x"}]}
                """, CoreEtlSpec.class);
        return new TestSpecRequest(null, spec, Map.of());
    }
}
