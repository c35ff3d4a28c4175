package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Playgrounds and applied manifests in the platform's database (tables of migration V4). */
final class PlaygroundStore {
    private static final String COLUMNS = "id, name, team, user_name, namespace, created_at, expires_at";
    private static final String RESOURCE_COLUMNS = "scope, kind, name, team, manifest_yaml, tables_json, applied_by, applied_at";

    private final Jdbi jdbi;

    PlaygroundStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Stores a new playground; false when its namespace is taken. Fails when its owner already has one of that name. */
    boolean insert(Playground playground) {
        try {
            jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO playgrounds (" + COLUMNS + ") VALUES (:id, :name, "
                            + ":team, :user, :namespace, :createdAt, :expiresAt)")
                    .bind("id", playground.id())
                    .bind("name", playground.name())
                    .bind("team", playground.team())
                    .bind("user", playground.user())
                    .bind("namespace", playground.namespace())
                    .bind("createdAt", playground.createdAt().toEpochMilli())
                    .bind("expiresAt", playground.expiresAt().toEpochMilli())
                    .execute());
            return true;
        }
        catch (UnableToExecuteStatementException e) {
            if (find(playground.team(), playground.user(), playground.name()).isPresent()) {
                throw new PlatformException(ErrorCode.PLAYGROUND_EXISTS, "you already have a playground named "
                        + playground.name() + " in team " + playground.team(), "name");
            }
            if (namespaceTaken(playground.namespace())) {
                return false;
            }
            throw e;
        }
    }

    Optional<Playground> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM playgrounds WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> playground(rs)).findOne());
    }

    Optional<Playground> find(String team, String user, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM playgrounds "
                        + "WHERE team = :team AND user_name = :user AND name = :name")
                .bind("team", team).bind("user", user).bind("name", name).map((rs, ctx) -> playground(rs)).findOne());
    }

    /** The playgrounds {@code user} owns that are named {@code name}, in any team. */
    List<Playground> findOwned(String user, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM playgrounds "
                        + "WHERE user_name = :user AND name = :name ORDER BY created_at DESC")
                .bind("user", user).bind("name", name).map((rs, ctx) -> playground(rs)).list());
    }

    /** The playgrounds of {@code teams} (all when null), newest first. */
    List<Playground> list(Set<String> teams) {
        if (teams != null && teams.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery("SELECT " + COLUMNS + " FROM playgrounds"
                    + (teams == null ? "" : " WHERE team IN (<teams>)") + " ORDER BY created_at DESC, id");
            if (teams != null) {
                query.bindList("teams", List.copyOf(teams));
            }
            return query.map((rs, ctx) -> playground(rs)).list();
        });
    }

    /** The playgrounds whose expiry is at or before {@code now}. */
    List<Playground> expired(Instant now) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM playgrounds "
                        + "WHERE expires_at <= :now ORDER BY expires_at")
                .bind("now", now.toEpochMilli()).map((rs, ctx) -> playground(rs)).list());
    }

    void updateExpiry(String id, Instant expiresAt) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE playgrounds SET expires_at = :at WHERE id = :id")
                .bind("at", expiresAt.toEpochMilli()).bind("id", id).execute());
    }

    /** Removes the playground and the manifests applied to it. */
    void delete(String id) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("DELETE FROM manifest_resources WHERE scope = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM playgrounds WHERE id = :id").bind("id", id).execute();
        });
    }

    private boolean namespaceTaken(String namespace) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM playgrounds WHERE namespace = :ns")
                .bind("ns", namespace).mapTo(Integer.class).one()) > 0;
    }

    /** Stores {@code applied}, replacing an earlier apply of the same manifest in the same scope. */
    void saveApplied(AppliedManifest applied) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("DELETE FROM manifest_resources WHERE scope = :scope AND kind = :kind AND name = :name")
                    .bind("scope", applied.scope()).bind("kind", applied.kind()).bind("name", applied.name()).execute();
            handle.createUpdate("INSERT INTO manifest_resources (" + RESOURCE_COLUMNS + ") VALUES (:scope, :kind, :name, "
                            + ":team, :yaml, :tables, :by, :at)")
                    .bind("scope", applied.scope())
                    .bind("kind", applied.kind())
                    .bind("name", applied.name())
                    .bind("team", applied.team())
                    .bind("yaml", applied.yaml())
                    .bind("tables", Json.write(applied.tables()))
                    .bind("by", applied.appliedBy())
                    .bind("at", applied.appliedAt().toEpochMilli())
                    .execute();
        });
    }

    Optional<AppliedManifest> findApplied(String scope, String kind, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + RESOURCE_COLUMNS + " FROM manifest_resources "
                        + "WHERE scope = :scope AND kind = :kind AND name = :name")
                .bind("scope", scope).bind("kind", kind).bind("name", name).map((rs, ctx) -> applied(rs)).findOne());
    }

    List<AppliedManifest> applied(String scope) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + RESOURCE_COLUMNS + " FROM manifest_resources "
                        + "WHERE scope = :scope ORDER BY kind, name")
                .bind("scope", scope).map((rs, ctx) -> applied(rs)).list());
    }

    void deleteApplied(String scope, String kind, String name) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM manifest_resources WHERE scope = :scope AND kind = :kind "
                        + "AND name = :name")
                .bind("scope", scope).bind("kind", kind).bind("name", name).execute());
    }

    private static Playground playground(ResultSet rs) throws SQLException {
        return new Playground(rs.getString("id"), rs.getString("name"), rs.getString("team"), rs.getString("user_name"),
                rs.getString("namespace"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at")));
    }

    private static AppliedManifest applied(ResultSet rs) throws SQLException {
        return new AppliedManifest(rs.getString("scope"), rs.getString("kind"), rs.getString("name"), rs.getString("team"),
                rs.getString("manifest_yaml"), Arrays.asList(Json.read(rs.getString("tables_json"), String[].class)),
                rs.getString("applied_by"), Instant.ofEpochMilli(rs.getLong("applied_at")));
    }
}
