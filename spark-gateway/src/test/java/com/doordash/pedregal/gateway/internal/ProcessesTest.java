package com.doordash.pedregal.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void commandInASchedulingGroupRunsInASessionOfItsOwnAtTheGroupsNiceness() throws Exception {
        assumeThat(Processes.hasSetsid()).as("setsid is installed").isTrue();
        assumeThat(Files.exists(Path.of("/proc/self/autogroup"))).as("the kernel groups sessions").isTrue();
        // The process's own pid (stat field 1), its session (field 6), and its scheduling group.
        Process process = new ProcessBuilder(Processes.inSchedulingGroup(7, List.of("/bin/sh", "-c",
                "cut -d' ' -f1,6 /proc/self/stat; cat /proc/self/autogroup")))
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(2);
        String[] pidAndSession = lines.get(0).split(" ");
        // cut runs as a child of the shell that setsid started: the shell leads the session, not the server's.
        assertThat(pidAndSession[1]).isEqualTo(Long.toString(process.pid()))
                .isNotEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(lines.get(1)).contains("nice 7");
    }

    @Test
    void wrappedCommandEndsWithTheCommandUnchanged() {
        List<String> wrapped = Processes.inSchedulingGroup(5, List.of("/usr/bin/java", "@a b.args"));

        assertThat(wrapped).endsWith("/usr/bin/java", "@a b.args");
        assertThat(wrapped.get(0)).isEqualTo(Processes.hasSetsid() ? Processes.SETSID.toString() : "/usr/bin/java");
    }
}
