package com.doordash.pedregal.gateway;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Checks at start that the catalog and the S3 endpoint of a {@link CatalogConfig} answer, so that a platform whose
 * drivers could not reach their tables does not start half-way: the error names the key and what did not answer. A
 * {@code hadoop} catalog on local disk and AWS's own S3 (no endpoint configured) are not checked.
 */
public final class CatalogCheck {
    private CatalogCheck() {
    }

    /**
     * Fails with an {@link IllegalStateException} naming the key when the catalog or the S3 endpoint does not answer
     * within {@code timeout}.
     */
    public static void verify(CatalogConfig catalog, Duration timeout) {
        switch (catalog.type()) {
            case HADOOP -> {
            }
            case JDBC -> verifyJdbc(catalog, timeout);
            case REST -> verifyRest(catalog, timeout);
        }
        if (catalog.onS3() && catalog.s3().endpoint() != null) {
            verifyS3(catalog, timeout);
        }
    }

    private static void verifyJdbc(CatalogConfig catalog, Duration timeout) {
        Properties properties = new Properties();
        if (catalog.user() != null) {
            properties.setProperty("user", catalog.user());
        }
        if (catalog.password() != null) {
            properties.setProperty("password", catalog.password());
        }
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        // PostgreSQL's driver: bounded connect and login.
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        try (Connection connection = DriverManager.getConnection(catalog.uri(), properties)) {
            if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                throw new SQLException("the connection is not valid");
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("gateway.catalog.uri: the jdbc catalog at "
                    + CatalogConfig.redactUri(catalog.uri()) + " does not answer: " + rootMessage(e));
        }
    }

    private static void verifyRest(CatalogConfig catalog, Duration timeout) {
        URI config = URI.create(catalog.uri().endsWith("/") ? catalog.uri() + "v1/config" : catalog.uri() + "/v1/config");
        HttpRequest.Builder request = HttpRequest.newBuilder(config).timeout(timeout).GET();
        if (catalog.token() != null) {
            request.header("Authorization", "Bearer " + catalog.token());
        }
        int status = send(request.build(), timeout, "gateway.catalog.uri: the rest catalog at " + catalog.uri());
        if (status == 401 || status == 403) {
            if (catalog.token() != null) {
                throw new IllegalStateException("gateway.catalog.rest.token: the rest catalog at " + catalog.uri()
                        + " refuses the token (HTTP " + status + ")");
            }
            if (catalog.credential() == null) {
                throw new IllegalStateException("gateway.catalog.uri: the rest catalog at " + catalog.uri()
                        + " asks for credentials (HTTP " + status + "): set gateway.catalog.rest.token or"
                        + " gateway.catalog.rest.credential");
            }
        }
        else if (status >= 500) {
            throw new IllegalStateException("gateway.catalog.uri: the rest catalog at " + catalog.uri()
                    + " answers HTTP " + status + " to GET /v1/config");
        }
    }

    private static void verifyS3(CatalogConfig catalog, Duration timeout) {
        String bucket = catalog.bucket().orElseThrow();
        URI endpoint = catalog.s3().endpoint();
        String base = endpoint.toString().endsWith("/") ? endpoint.toString() : endpoint + "/";
        URI uri = catalog.s3().pathStyleAccess()
                ? URI.create(base + bucket)
                : URI.create(endpoint.getScheme() + "://" + bucket + "." + endpoint.getRawAuthority() + "/");
        int status = send(HttpRequest.newBuilder(uri).timeout(timeout).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), timeout, "gateway.s3.endpoint: S3 at " + endpoint + " (bucket " + bucket + ")");
        if (status == 404) {
            throw new IllegalStateException("gateway.catalog.warehouse: bucket " + bucket + " does not exist at " + endpoint);
        }
        if (status >= 500) {
            throw new IllegalStateException("gateway.s3.endpoint: S3 at " + endpoint + " answers HTTP " + status
                    + " for bucket " + bucket);
        }
    }

    private static int send(HttpRequest request, Duration timeout, String what) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (IOException e) {
            throw new IllegalStateException(what + " does not answer: " + rootMessage(e));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted while checking it", e);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof ConnectException && (message == null || message.isBlank())) {
            message = "connection refused";
        }
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
    }
}
