package com.doordash.pedregal.model.auth;

/**
 * Turns a bearer token into the {@link Caller} it belongs to. Implementations never log or echo tokens.
 */
public interface Authenticator {
    /**
     * The caller a bearer token belongs to; fails with UNAUTHENTICATED when the token is missing, unknown,
     * expired or badly signed.
     *
     * @param authorizationHeader the whole {@code Authorization} header value ({@code Bearer <token>}), or null
     */
    Caller authenticate(String authorizationHeader);

    /** The token from an {@code Authorization: Bearer <token>} header; fails when there is none. */
    static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw unauthenticated("missing credentials: send the header Authorization: Bearer <token>");
        }
        String value = authorizationHeader.strip();
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw unauthenticated("the Authorization header is not of the form Bearer <token>");
        }
        return value.substring(7).strip();
    }

    /** The error for bad credentials; its message never contains the token. */
    static com.doordash.pedregal.model.error.PlatformException unauthenticated(String message) {
        return new com.doordash.pedregal.model.error.PlatformException(
                com.doordash.pedregal.model.error.ErrorCode.UNAUTHENTICATED, message);
    }
}
