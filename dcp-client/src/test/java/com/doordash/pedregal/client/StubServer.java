package com.doordash.pedregal.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A tiny real HTTP server on 127.0.0.1 that answers as scripted and records every request it saw. */
final class StubServer implements AutoCloseable {
    /** A request as the server saw it. */
    record Request(String method, String uri, String authorization, String accept, String body) {
    }

    /** An answer to send, after {@code delayMillis}. */
    record Reply(int status, String contentType, String body, long delayMillis) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, 0);
        }

        static Reply error(int status, String code, String message) {
            return json(status, "{\"error\": {\"code\": \"" + code + "\", \"message\": \"" + message + "\"}}");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private StubServer(Function<Request, Reply> replies) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> answer(exchange, replies));
        server.setExecutor(executor);
        server.start();
    }

    /** A server whose answer depends on the request. */
    static StubServer start(Function<Request, Reply> replies) {
        try {
            return new StubServer(replies);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server that answers with {@code replies} in order, repeating the last one. */
    static StubServer scripted(Reply... replies) {
        List<Reply> script = new ArrayList<>(Arrays.asList(replies));
        AtomicInteger next = new AtomicInteger();
        return start(request -> script.get(Math.min(next.getAndIncrement(), script.size() - 1)));
    }

    /** A port on 127.0.0.1 where nothing listens. */
    static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange, Function<Request, Reply> replies) throws IOException {
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Accept"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(request);
            Reply reply = replies.apply(request);
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
