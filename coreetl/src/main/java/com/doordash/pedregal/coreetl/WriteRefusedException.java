package com.doordash.pedregal.coreetl;

/**
 * A playground run tried to write or change something outside its playground namespace, and the
 * {@link DriverWall} refused it, for example {@code playground run may write only to pedregal.pg_x: refused
 * INSERT INTO pedregal.raw.events}. A plain unchecked exception, so its message reaches the job's error as it is.
 */
public final class WriteRefusedException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public WriteRefusedException(String message) {
        super(message);
    }
}
