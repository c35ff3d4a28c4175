package com.doordash.pedregal.pretzel;

/** The user asked for something the command cannot do before sending anything; exits {@link ExitCodes#USAGE}. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
