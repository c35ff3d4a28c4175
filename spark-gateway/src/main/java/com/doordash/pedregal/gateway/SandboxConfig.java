package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.util.Locale;

/**
 * Which operating-system users run the Spark JVMs the platform starts on this machine (local drivers, warm drivers,
 * platform tools, the shared test cluster) — key family {@code gateway.sandbox.*}.
 *
 * @param mode {@code auto}: run them as unprivileged users when the server runs as root, else as the server's own user;
 *     {@code uids}: always (the server must run as root); {@code off}: never — key {@code gateway.sandbox.mode}
 * @param firstUid the test cluster's user and group id; run users are {@code firstUid + 1 ... firstUid + users} in group
 *     {@code firstUid + 1} — {@code gateway.sandbox.first-uid}
 * @param users how many run users there are: the most drivers and tools that run at once — {@code gateway.sandbox.users}
 */
public record SandboxConfig(Mode mode, int firstUid, int users) {
    /** Whether JVMs run as unprivileged users. */
    public enum Mode {
        /** When the server runs as root. */
        AUTO,
        /** Always; the server must run as root. */
        UIDS,
        /** Never: JVMs run as the server's user. */
        OFF
    }

    public SandboxConfig {
        requireNonNull(mode, "mode is null");
    }

    /** Reads the {@code gateway.sandbox.*} keys. */
    public static SandboxConfig from(ConfigProperties properties) {
        String mode = properties.string("gateway.sandbox.mode", "auto");
        Mode parsed = switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> Mode.AUTO;
            case "uids" -> Mode.UIDS;
            case "off" -> Mode.OFF;
            default -> throw new IllegalArgumentException("gateway.sandbox.mode: \"" + mode
                    + "\" is not valid (expected auto, uids or off)");
        };
        return new SandboxConfig(parsed,
                properties.integer("gateway.sandbox.first-uid", 200_000, 1000, 2_000_000_000),
                properties.integer("gateway.sandbox.users", 32, 1, 10_000));
    }
}
