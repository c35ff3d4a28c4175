package com.doordash.pedregal.model;

/**
 * The body of {@code POST /api/v1/playgrounds} and of {@code POST /api/v1/playgrounds/{ref}/extend}.
 *
 * @param name the playground's name (create only)
 * @param team the owning team; may be left out by a caller in exactly one team (create only)
 * @param ttl how long it lives from now, for example {@code 7d}, {@code 12h}, {@code 90m}; the default on create is
 *     {@code playgrounds.default-ttl}
 */
public record PlaygroundRequest(String name, String team, String ttl) {
}
