package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.runner.JobRunner;
import java.time.Instant;

/**
 * A playground: an Iceberg namespace of its own in catalog {@value JobRunner#PLAYGROUND_CATALOG},
 * owned by a user of a team, until it expires.
 *
 * @param id its id, {@code pg-} and 12 hex digits
 * @param name its name, unique among its owner's playgrounds in its team
 * @param team the owning team
 * @param user the user who created it
 * @param namespace its Iceberg namespace, for example {@code pg_data_infra_user_demo}
 * @param createdAt when it was created
 * @param expiresAt when the janitor drops it
 */
public record Playground(String id, String name, String team, String user, String namespace, Instant createdAt,
        Instant expiresAt) {
    public Playground {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(team, "team is null");
        requireNonNull(user, "user is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /** {@code catalog.namespace} of this playground. */
    public String qualifiedNamespace() {
        return JobRunner.PLAYGROUND_CATALOG + "." + namespace;
    }

    /** {@code catalog.namespace.table} of {@code table} in this playground. */
    public String table(String table) {
        return qualifiedNamespace() + "." + table;
    }

    /** The same playground expiring at {@code expiresAt}. */
    Playground withExpiry(Instant expiresAt) {
        return new Playground(id, name, team, user, namespace, createdAt, expiresAt);
    }
}
