package com.doordash.pedregal.runner;

/** A team's idempotency key is already stored with another job (a concurrent submit won the race). */
final class IdempotencyKeyTakenException extends RuntimeException {
    IdempotencyKeyTakenException(String team, String key) {
        super("team " + team + " already used idempotency key " + key);
    }
}
