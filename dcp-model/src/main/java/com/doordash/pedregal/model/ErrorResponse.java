package com.doordash.pedregal.model;

import com.doordash.pedregal.model.error.Violation;
import java.util.List;

/**
 * The body of every error answer: {@code {"error": {"code", "message", "field", "details"}}}.
 */
public record ErrorResponse(Error error) {
    /**
     * @param code the {@link com.doordash.pedregal.model.error.ErrorCode} name
     * @param message what went wrong, for a person
     * @param field the path of the field to blame, when one is
     * @param details every problem, when there were several
     */
    public record Error(String code, String message, String field, List<Violation> details) {
        public Error {
            details = details == null || details.isEmpty() ? null : List.copyOf(details);
        }
    }
}
