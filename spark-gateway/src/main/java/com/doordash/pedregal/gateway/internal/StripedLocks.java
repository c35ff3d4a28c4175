package com.doordash.pedregal.gateway.internal;

/** A fixed set of locks picked by a key's hash: one caller at a time per key, with no map growing per key. */
public final class StripedLocks {
    private final Object[] locks;

    /** {@code stripes} locks. */
    public StripedLocks(int stripes) {
        locks = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock of {@code key}. */
    public Object of(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }
}
