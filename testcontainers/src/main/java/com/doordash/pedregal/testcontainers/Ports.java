package com.doordash.pedregal.testcontainers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports of the host's loopback interface for the servers of this module. */
final class Ports {
    private Ports() {
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot find a free port on the loopback interface", e);
        }
    }

    /** {@code port}, when nothing listens on it yet. */
    static int checkFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        }
        catch (IOException e) {
            throw new IllegalStateException("Spark Connect port " + port + " is taken on this machine: choose another"
                    + " with withSparkConnectPort, or leave it out for a free one");
        }
    }
}
