package com.doordash.pedregal.pretzel;

import com.doordash.pedregal.client.DCPClientException;
import com.doordash.pedregal.client.DCPConnectionException;
import com.doordash.pedregal.client.ErrorDetail;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place that turns a failure into the one line printed on standard error and the exit code (and, with
 * {@code --output json}, the error as JSON on standard output).
 */
final class Errors {
    static final String PREFIX = "pretzel: ";

    private Errors() {
    }

    /** Reports {@code failure} and returns the exit code. */
    static int report(Throwable failure, Terminal terminal, boolean json) {
        Report report = describe(failure);
        terminal.err().println(report.line());
        if (json) {
            terminal.out().println(asJson(failure, report).toString());
        }
        return report.exitCode();
    }

    record Report(String line, int exitCode) {
    }

    static Report describe(Throwable failure) {
        if (failure instanceof UsageException usage) {
            return new Report(PREFIX + usage.getMessage(), ExitCodes.USAGE);
        }
        if (failure instanceof DCPConnectionException connection) {
            return new Report(PREFIX + connection.getMessage(), ExitCodes.UNAVAILABLE);
        }
        if (failure instanceof DCPClientException client) {
            int status = client.getHttpStatus();
            String message = client.getServerMessage().orElse(client.getMessage());
            if ("INVALID_MANIFEST".equals(client.getErrorCode())) {
                // Already "file:line:column: field: reason", like a compiler's message.
                return new Report(message, ExitCodes.REFUSED);
            }
            if (status >= 400 && status < 500) {
                String hint = status == 401
                        ? " (set a valid token with --token, PRETZEL_TOKEN or token= in the config file)"
                        : "";
                return new Report(PREFIX + message + hint + " [" + client.getErrorCode() + "]", ExitCodes.REFUSED);
            }
            if (status >= 500) {
                return new Report(PREFIX + "the server failed: " + message + " [" + client.getErrorCode() + "]",
                        ExitCodes.UNAVAILABLE);
            }
            return new Report(PREFIX + client.getMessage(), ExitCodes.UNAVAILABLE);
        }
        if (failure instanceof IllegalArgumentException bad) {
            return new Report(PREFIX + bad.getMessage(), ExitCodes.USAGE);
        }
        return new Report(PREFIX + "unexpected error: " + failure, ExitCodes.UNAVAILABLE);
    }

    private static ObjectNode asJson(Throwable failure, Report report) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode error = root.putObject("error");
        if (failure instanceof DCPClientException client) {
            error.put("code", client.getErrorCode());
            error.put("message", client.getServerMessage().orElse(client.getMessage()));
            client.getField().ifPresent(field -> error.put("field", field));
            if (!client.getDetails().isEmpty()) {
                ArrayNode details = error.putArray("details");
                for (ErrorDetail detail : client.getDetails()) {
                    details.addObject().put("field", detail.getField()).put("message", detail.getMessage());
                }
            }
            if (client.getHttpStatus() > 0) {
                error.put("http_status", client.getHttpStatus());
            }
        }
        else {
            error.put("code", report.exitCode() == ExitCodes.USAGE ? "USAGE" : "CLIENT_ERROR");
            error.put("message", report.line().startsWith(PREFIX) ? report.line().substring(PREFIX.length()) : report.line());
        }
        return root;
    }
}
