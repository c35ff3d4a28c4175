package com.doordash.pedregal.gateway.connect;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays TCP connections from a port on 127.0.0.1 to {@code host:port}: the test cluster on Kubernetes answers at its
 * Service's address, and the platform's side (the proxy, the health check, the spec tester, whose Spark Connect client
 * sends its token without TLS only to a local address) keeps talking to 127.0.0.1 as for the other backends. Bytes are
 * copied as they are; the cluster still checks the token.
 */
final class TcpRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final ServerSocket server;
    private final String host;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Listens on 127.0.0.1:{@code localPort} and relays every connection to {@code host:port}. */
    TcpRelay(int localPort, String host, int port) {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), localPort));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + localPort + " for the test cluster at "
                    + host + ":" + port, e);
        }
        Thread acceptor = new Thread(this::accept, "dcp-test-cluster-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            }
            catch (IOException e) {
                if (!closed) {
                    log.warn("Test cluster relay stopped accepting: {}", e.toString());
                }
                return;
            }
            Thread connector = new Thread(() -> relay(client), "dcp-test-cluster-relay-" + client.getPort());
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            upstream.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        }
        catch (IOException e) {
            // The caller sees its connection closed: gRPC reports UNAVAILABLE, as for a cluster that is down.
            closeBoth(client, upstream);
            return;
        }
        Thread back = new Thread(() -> copy(upstream, client), "dcp-test-cluster-relay-back-" + client.getPort());
        back.setDaemon(true);
        back.start();
        copy(client, upstream);
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (SocketException e) {
            // closed by the other side or by close()
        }
        catch (IOException e) {
            log.debug("Test cluster relay: {}", e.toString());
        }
        finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket socket : new Socket[] {a, b}) {
            open.remove(socket);
            try {
                socket.close();
            }
            catch (IOException e) {
                // closing
            }
        }
    }

    /** Closes the port and every relayed connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        }
        catch (IOException e) {
            // closing
        }
        for (Socket socket : open) {
            try {
                socket.close();
            }
            catch (IOException e) {
                // closing
            }
        }
        open.clear();
    }
}
