package com.doordash.pedregal.gateway.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping process trees and finding free ports: what every JVM the platform starts on this machine needs. */
public final class Processes {
    private static final Logger log = LoggerFactory.getLogger(Processes.class);
    /** Starts a process in a session (and process group) of its own, when the machine has it. */
    public static final Path SETSID = Path.of("/usr/bin/setsid");

    private Processes() {
    }

    /** Whether processes can be started in a session of their own ({@link #SETSID}). */
    public static boolean hasSetsid() {
        return Files.isExecutable(SETSID);
    }

    /**
     * {@code command} started in a session of its own whose scheduling group runs at {@code niceness}: where the kernel
     * groups each session for scheduling ({@code /proc/self/autogroup}), a {@code nice} inside the server's session
     * would weigh each of the JVM's threads against the server's, so a JVM starting many threads at once would hold
     * the server off the CPU for long; a group of its own at a lower weight yields to the server as a whole. The
     * command as it is where the machine has no {@link #SETSID}.
     */
    public static List<String> inSchedulingGroup(int niceness, List<String> command) {
        if (!hasSetsid()) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of(SETSID.toString(), "/bin/sh", "-c",
                "echo " + niceness + " > /proc/self/autogroup 2>/dev/null; exec \"$@\"", "dcp-jvm"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Stops {@code root} and every process under it: SIGTERM, then SIGKILL after {@code graceMillis}; then, when it
     * leads a process group of its own, everything left in that group.
     */
    public static void stopTree(ProcessHandle root, long graceMillis) {
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, graceMillis)) {
            log.info("Process {} did not stop within {} ms; killing it", root.pid(), graceMillis);
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, 10_000);
        }
        if (hasSetsid()) {
            killProcessGroup(root.pid());
        }
    }

    /** Whether every process of {@code processes} ended within {@code millis}. */
    public static boolean awaitExit(List<ProcessHandle> processes, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle process : processes) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0) {
                    return processes.stream().noneMatch(ProcessHandle::isAlive);
                }
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException e) {
                return false;
            }
            catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void killProcessGroup(long pgid) {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        }
        catch (IOException e) {
            log.warn("Cannot kill process group {}: {}", pgid, e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port free on the loopback address now, or {@code fallback} when none can be found. */
    public static int freePort(int fallback) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            return fallback;
        }
    }
}
