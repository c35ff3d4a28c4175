package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.ManifestRequest;
import com.doordash.pedregal.model.PlaygroundRequest;
import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.server.playground.AppliedManifest;
import com.doordash.pedregal.server.playground.ManifestService;
import com.doordash.pedregal.server.playground.Playground;
import com.doordash.pedregal.server.playground.PlaygroundService;
import com.doordash.pedregal.server.playground.Playgrounds;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The REST API for playgrounds ({@code /api/v1/playgrounds}) and manifest commands ({@code /api/v1/manifests/{command}}). */
final class PlaygroundsApi {
    private final PlaygroundService playgrounds;
    private final ManifestService manifests;

    PlaygroundsApi(Playgrounds services) {
        requireNonNull(services, "services is null");
        this.playgrounds = services.playgrounds();
        this.manifests = services.manifests();
    }

    void install(Javalin app) {
        app.post("/api/v1/playgrounds", this::create);
        app.get("/api/v1/playgrounds", this::list);
        app.get("/api/v1/playgrounds/{ref}", ctx -> {
            Caller caller = RestAuth.caller(ctx);
            ctx.json(view(playgrounds.get(caller, ctx.pathParam("ref"))));
        });
        app.post("/api/v1/playgrounds/{ref}/extend", ctx -> {
            PlaygroundRequest request = Json.read(ctx.body(), PlaygroundRequest.class);
            ctx.json(view(playgrounds.extend(RestAuth.caller(ctx), ctx.pathParam("ref"), request.ttl())));
        });
        app.delete("/api/v1/playgrounds/{ref}", this::delete);
        app.post("/api/v1/manifests/{command}", this::manifest);
    }

    private void create(Context ctx) {
        PlaygroundRequest request = Json.read(ctx.body(), PlaygroundRequest.class);
        Playground playground = playgrounds.create(RestAuth.caller(ctx), request.name(), request.team(), request.ttl());
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/playgrounds/" + playground.id()).json(view(playground));
    }

    private void list(Context ctx) {
        String team = ctx.queryParam("team");
        List<Playground> found = playgrounds.list(RestAuth.caller(ctx), team == null || team.isBlank() ? null : team);
        ctx.json(Map.of("playgrounds", found.stream().map(this::view).toList()));
    }

    private void delete(Context ctx) {
        PlaygroundService.Deletion deletion = playgrounds.delete(RestAuth.caller(ctx), ctx.pathParam("ref"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("playground", view(deletion.playground(), List.of()));
        body.put("dropped_tables", deletion.droppedTables());
        body.put("cancelled_jobs", deletion.cancelledJobs());
        ctx.json(body);
    }

    private void manifest(Context ctx) {
        ManifestRequest request = Json.read(ctx.body(), ManifestRequest.class);
        String command = ctx.pathParam("command");
        var answer = manifests.handle(command, request.manifest(), request.file(), request.playground(), request.kind(),
                request.options(), RestAuth.caller(ctx));
        ctx.status(command.equals("run") ? HttpStatus.ACCEPTED : HttpStatus.OK).json(answer);
    }

    private Map<String, Object> view(Playground playground) {
        return view(playground, playgrounds.applied(playground));
    }

    private static Map<String, Object> view(Playground playground, List<AppliedManifest> applied) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", playground.id());
        view.put("name", playground.name());
        view.put("team", playground.team());
        view.put("user", playground.user());
        view.put("catalog", JobRunner.PLAYGROUND_CATALOG);
        view.put("namespace", playground.namespace());
        view.put("created_at", playground.createdAt().toString());
        view.put("expires_at", playground.expiresAt().toString());
        view.put("resources", applied.stream().map(resource -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", resource.kind());
            item.put("name", resource.name());
            item.put("tables", resource.tables());
            item.put("applied_at", resource.appliedAt().toString());
            item.put("applied_by", resource.appliedBy());
            return item;
        }).toList());
        return view;
    }
}
