package com.doordash.pedregal.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Sandbox#killAll} against real processes of a uid of its own: one in this JVM's PID namespace, one in a PID
 * namespace of its own (as a container's process is seen from the machine). Needs root and {@code unshare}: skipped
 * elsewhere, unless {@code DCP_REQUIRE_SANDBOX=1} (as {@code .ci/run} sets), which makes that a failure.
 */
class SandboxKillAllTest {
    /** Outside the sandbox's default users (200000 + 1 … 64). */
    private static final int UID = 287_654;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void killAllStopsTheUsersProcessesHereButNotThoseOfTheSameUidInAContainersNamespace() throws Exception {
        boolean able = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv"));
        if (!able && "1".equals(System.getenv("DCP_REQUIRE_SANDBOX"))) {
            fail("DCP_REQUIRE_SANDBOX=1 but this test needs root, unshare and setpriv");
        }
        assumeThat(able).as("root, unshare and setpriv").isTrue();
        List<String> sleepAsUser = List.of("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "/bin/sleep", "300");
        Process here = start(sleepAsUser);
        List<String> inNamespace = new ArrayList<>(List.of("/usr/bin/unshare", "--pid", "--fork"));
        inNamespace.addAll(sleepAsUser);
        Process container = start(inNamespace);
        ProcessHandle inside = awaitDescendantNamed(container, "sleep");
        assertThat(Sandbox.pidNamespace(Long.toString(inside.pid()))).isPresent()
                .isNotEqualTo(Sandbox.pidNamespace(Long.toString(here.pid())));

        Sandbox.killAll(UID);

        assertThat(here.waitFor(10, TimeUnit.SECONDS)).as("the user's process in this namespace is killed").isTrue();
        Thread.sleep(500);
        assertThat(inside.isAlive()).as("the process of the same uid in another PID namespace lives").isTrue();
    }

    private Process start(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        return process;
    }

    private static ProcessHandle awaitDescendantNamed(Process parent, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> found = parent.descendants()
                    .filter(process -> process.info().command().map(command -> command.endsWith("/" + name)).orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + name + " under process " + parent.pid());
    }
}
