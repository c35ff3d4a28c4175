package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An error answer of the server, read from its body {@code {"error": {"code", "message", "field", "details"}}},
 * and the one place that turns it into the exception named after it.
 *
 * @param request the request that failed, such as {@code GET /api/v1/jobs/x}
 * @param attempts how many times the request was sent
 */
record ServerError(int httpStatus, String code, String message, String field, List<ErrorDetail> details,
        String request, int attempts) {
    private static final int MAX_BODY_SHOWN = 300;

    ServerError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        details = List.copyOf(details);
        requireNonNull(request, "request is null");
    }

    /** Reads an error answer; a body that is not the JSON error shape still gives an error naming the status. */
    static ServerError read(int httpStatus, String body, String request, int attempts) {
        JsonNode error = parse(body).path("error");
        String code = text(error.path("code"));
        String message = text(error.path("message"));
        List<ErrorDetail> details = new ArrayList<>();
        for (JsonNode detail : error.path("details")) {
            String detailMessage = text(detail.path("message"));
            if (detailMessage != null) {
                String field = text(detail.path("field"));
                details.add(new ErrorDetail(field == null ? "" : field, detailMessage));
            }
        }
        if (message == null) {
            String shown = body == null ? "" : body.strip();
            message = shown.isEmpty()
                    ? "the server answered HTTP " + httpStatus + " without a message"
                    : shown.length() > MAX_BODY_SHOWN ? shown.substring(0, MAX_BODY_SHOWN) + "…" : shown;
        }
        return new ServerError(httpStatus, code == null ? "HTTP_" + httpStatus : code, message,
                text(error.path("field")), details, request, attempts);
    }

    /** The exception a client throws for this error. */
    DCPClientException toException() {
        return switch (httpStatus) {
            case 400 -> new InvalidRequestException(this);
            case 401 -> new UnauthenticatedException(this);
            case 403 -> new PermissionDeniedException(this);
            case 404 -> switch (code) {
                case "JOB_NOT_FOUND" -> new JobNotFoundException(this);
                case "PLAYGROUND_NOT_FOUND" -> new PlaygroundNotFoundException(this);
                default -> new DCPClientException(this);
            };
            case 409 -> new ConflictException(this);
            default -> httpStatus >= 500 ? new ServerException(this) : new DCPClientException(this);
        };
    }

    /** The server's message with the status, code and request: {@code job x does not exist (HTTP 404 JOB_NOT_FOUND on GET /api/v1/jobs/x)}. */
    String describe() {
        return message + " (HTTP " + httpStatus + " " + code + " on " + request
                + (attempts > 1 ? ", after " + attempts + " attempts" : "") + ")";
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? Json.mapper().missingNode() : Json.mapper().readTree(body);
        }
        catch (IOException e) {
            return Json.mapper().missingNode();
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }
}
