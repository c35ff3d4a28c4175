package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class ParentBoundMainTest {
    /** A main that would run for ten minutes. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("sleeping " + String.join(",", args));
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void childHaltsWhenItsParentsEndOfThePipeCloses() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentBoundMain.class.getName(), Sleeper.class.getName(), "a", "b")
                .redirectErrorStream(true)
                .start();
        String first = new String(child.getInputStream().readNBytes("sleeping a,b".length()));

        // What the kernel does to the pipe when the parent dies, even of kill -9.
        child.getOutputStream().close();

        assertThat(first).isEqualTo("sleeping a,b");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ended").isTrue();
        assertThat(child.exitValue()).isEqualTo(ParentBoundMain.PARENT_GONE);
    }

    @Test
    void childRunsOnWhileThePipeStaysOpen() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentBoundMain.class.getName(), Sleeper.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            child.getInputStream().readNBytes("sleeping ".length());

            assertThat(child.waitFor(2, TimeUnit.SECONDS)).as("the child ended").isFalse();
        }
        finally {
            child.destroyForcibly().waitFor();
        }
    }
}
