package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A playground: an isolated Iceberg namespace of one user in one team, with a time to live. Every sink of a job run
 * in it writes to {@code catalog.namespace}; sources keep reading production.
 *
 * @param id the playground's id, such as {@code pg-1a2b3c4d}
 * @param name its name, unique among the user's live playgrounds of the team
 * @param catalog the Iceberg catalog of its tables, such as {@code pedregal}
 * @param namespace the namespace its tables are written to, such as {@code pg_data_infra_user_demo}
 * @param createdAt when it was created; null when the server did not say
 * @param expiresAt when it expires and is dropped; null when the server did not say
 * @param resources what was applied in it
 * @param json the server's answer as it came (a copy is returned)
 */
public record Playground(String id, String name, String team, String user, String catalog, String namespace,
        Instant createdAt, Instant expiresAt, List<PlaygroundResource> resources, JsonNode json) {
    public Playground {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(team, "team is null");
        requireNonNull(user, "user is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(namespace, "namespace is null");
        resources = List.copyOf(resources);
        json = requireNonNull(json, "json is null").deepCopy();
    }

    /** The server's answer as it came, with fields this client does not model. */
    @Override
    public JsonNode json() {
        return json.deepCopy();
    }
}
