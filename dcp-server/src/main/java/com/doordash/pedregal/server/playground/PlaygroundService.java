package com.doordash.pedregal.server.playground;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.JobRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Playgrounds: create (with a TTL), list, show, extend, delete, and the janitor that drops expired ones — their
 * tables and namespace on Spark, the manifests applied to them, and their unfinished jobs.
 */
public final class PlaygroundService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlaygroundService.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    private static final Pattern TTL = Pattern.compile("([0-9]{1,9})(s|m|h|d)");
    private static final Caller JANITOR = new Caller("dcp-playground-janitor", Set.of(), true);
    private static final int MAX_NAMESPACE = 100;

    private final PlaygroundStore store;
    private final PlaygroundTables tables;
    private final JobRunner runner;
    private final PlaygroundConfig config;
    private final Clock clock;
    private final ScheduledExecutorService janitor;

    /** The result of deleting a playground. */
    public record Deletion(Playground playground, List<String> droppedTables, List<String> cancelledJobs) {
    }

    /** Prepares the backends for jobs of a new playground's namespace. */
    private final java.util.function.Consumer<String> anticipate;

    PlaygroundService(PlaygroundStore store, PlaygroundTables tables, JobRunner runner, PlaygroundConfig config,
            Clock clock, java.util.function.Consumer<String> anticipate) {
        this.anticipate = requireNonNull(anticipate, "anticipate is null");
        this.store = requireNonNull(store, "store is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.janitor = Executors.newSingleThreadScheduledExecutor(Daemons.named("dcp-playground-janitor"));
    }

    /** Starts the janitor. */
    void start() {
        long interval = config.janitorInterval().toMillis();
        janitor.scheduleWithFixedDelay(this::dropExpiredQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Creates a playground of {@code caller} in {@code team} (the caller's only team when null) living {@code ttl}. */
    public Playground create(Caller caller, String name, String team, String ttl) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name", (name == null ? "is required" : "\"" + name + "\" is not a valid name")
                    + " (lower-case letters, digits, '-' and '_', at most 40 characters)");
        }
        String owner = team != null ? team : onlyTeam(caller);
        caller.checkTeam(owner, "team");
        Duration lifetime = ttl == null ? config.defaultTtl() : ttl(ttl, "ttl");
        Instant now = now();
        String base = namespace(owner, caller.user(), name);
        for (int attempt = 1; attempt <= 20; attempt++) {
            String namespace = attempt == 1 ? base : base + "_" + attempt;
            Playground playground = new Playground("pg-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                    .substring(4), name, owner, caller.user(), namespace, now, now.plus(lifetime));
            if (store.insert(playground)) {
                log.info("Created playground {} ({}) of {} in team {}, namespace {}, expires {}", playground.id(), name,
                        caller.user(), owner, namespace, playground.expiresAt());
                // Its owner is about to run: a warm driver for the namespace, so that the first run starts hot.
                anticipate.accept(namespace);
                return playground;
            }
        }
        throw new PlatformException(ErrorCode.INTERNAL, "no free namespace for playground " + name);
    }

    /** The playgrounds {@code caller} may see: of {@code team}, or of all the caller's teams; newest first. */
    public List<Playground> list(Caller caller, String team) {
        if (team != null) {
            caller.checkTeam(team, "team");
            return store.list(Set.of(team));
        }
        return store.list(caller.admin() ? null : caller.teams());
    }

    /** The playground {@code ref} names (an id, or the name of one of the caller's own playgrounds), if visible. */
    public Playground get(Caller caller, String ref) {
        Playground playground = store.find(ref).orElseGet(() -> {
            List<Playground> owned = store.findOwned(caller.user(), ref);
            if (owned.size() > 1) {
                throw new InvalidRequestException("playground", "you have playgrounds named " + ref + " in several teams ("
                        + owned.stream().map(p -> p.team() + ": " + p.id()).toList() + "); give the playground's id");
            }
            return owned.isEmpty() ? null : owned.get(0);
        });
        if (playground == null || !caller.canActFor(playground.team())) {
            throw new PlatformException(ErrorCode.PLAYGROUND_NOT_FOUND, "no playground " + ref + " (ids and your own"
                    + " playgrounds' names are looked up; see GET /api/v1/playgrounds)", "playground");
        }
        return playground;
    }

    /** The playground {@code ref} names, if {@code caller} may change it: its owner, or an admin. */
    public Playground getForChange(Caller caller, String ref) {
        Playground playground = get(caller, ref);
        if (!caller.admin() && !playground.user().equals(caller.user())) {
            throw new PlatformException(ErrorCode.PERMISSION_DENIED, "playground " + playground.name() + " belongs to "
                    + playground.user() + "; only its owner can change it", "playground");
        }
        return playground;
    }

    /** Sets the playground's expiry to {@code ttl} from now. */
    public Playground extend(Caller caller, String ref, String ttl) {
        Playground playground = getForChange(caller, ref);
        if (ttl == null) {
            throw new InvalidRequestException("ttl", "is required (for example \"3d\")");
        }
        Instant expiresAt = now().plus(ttl(ttl, "ttl"));
        store.updateExpiry(playground.id(), expiresAt);
        log.info("Playground {} ({}) now expires {}", playground.id(), playground.name(), expiresAt);
        return playground.withExpiry(expiresAt);
    }

    /** Deletes the playground: cancels its unfinished jobs, drops its tables and namespace, forgets its manifests. */
    public Deletion delete(Caller caller, String ref) {
        return drop(getForChange(caller, ref), "deleted by " + caller.user());
    }

    /** The manifests applied to the playground. */
    public List<AppliedManifest> applied(Playground playground) {
        return store.applied(playground.id());
    }

    /** Drops every expired playground; a failure leaves it for the next round. Returns the ones dropped. */
    public List<Deletion> dropExpired() {
        List<Deletion> dropped = new ArrayList<>();
        for (Playground playground : store.expired(now())) {
            try {
                dropped.add(drop(playground, "expired at " + playground.expiresAt()));
            }
            catch (RuntimeException e) {
                log.warn("Janitor: could not drop expired playground {} ({}); will retry: {}", playground.id(),
                        playground.name(), e.getMessage());
            }
        }
        return dropped;
    }

    private void dropExpiredQuietly() {
        try {
            dropExpired();
        }
        catch (RuntimeException e) {
            log.warn("Janitor round failed: {}", e.toString());
        }
    }

    private Deletion drop(Playground playground, String why) {
        List<String> cancelled = new ArrayList<>();
        for (Job job : runner.activeInNamespace(playground.namespace())) {
            try {
                runner.cancel(job.jobId(), "playground " + playground.name() + " " + why, JANITOR);
                cancelled.add(job.jobId());
            }
            catch (PlatformException e) {
                log.info("Job {} of playground {} ended meanwhile: {}", job.jobId(), playground.id(), e.getMessage());
            }
        }
        List<String> dropped = tables.dropNamespace(playground.qualifiedNamespace(), playground.team());
        List<AppliedManifest> manifests = store.applied(playground.id());
        store.delete(playground.id());
        log.info("Dropped playground {} ({}) of {} in team {} ({}): tables {}, namespace {}, manifests {}, cancelled jobs {}",
                playground.id(), playground.name(), playground.user(), playground.team(), why, dropped,
                playground.namespace(), manifests.stream().map(m -> m.kind() + "/" + m.name()).toList(), cancelled);
        return new Deletion(playground, dropped, cancelled);
    }

    private static String onlyTeam(Caller caller) {
        if (caller.teams().size() != 1) {
            throw new InvalidRequestException("team", "is required: you are in " + (caller.teams().isEmpty() ? "no team"
                    : "teams " + caller.teams()));
        }
        return caller.teams().iterator().next();
    }

    /** {@code 7d}, {@code 12h}, {@code 90m}, {@code 30s}; at most {@code playgrounds.max-ttl}. */
    Duration ttl(String text, String field) {
        Matcher matcher = TTL.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new InvalidRequestException(field, "\"" + text + "\" is not a TTL like 30m, 12h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration ttl = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (ttl.isZero()) {
            throw new InvalidRequestException(field, "must be longer than 0");
        }
        if (ttl.compareTo(config.maxTtl()) > 0) {
            throw new InvalidRequestException(field, "\"" + text + "\" is longer than the longest TTL allowed, "
                    + describe(config.maxTtl()) + " (playgrounds.max-ttl)");
        }
        return ttl;
    }

    private static String describe(Duration duration) {
        return duration.toDays() > 0 && duration.toHours() % 24 == 0 ? duration.toDays() + "d" : duration.toString();
    }

    /** {@code pg_<team>_<user>_<name>}, lower-case letters, digits and '_' only. */
    static String namespace(String team, String user, String name) {
        String local = user.contains("@") ? user.substring(0, user.indexOf('@')) : user;
        String namespace = "pg_" + clean(team) + "_" + clean(local) + "_" + clean(name);
        return namespace.length() <= MAX_NAMESPACE ? namespace : namespace.substring(0, MAX_NAMESPACE);
    }

    private static String clean(String part) {
        String cleaned = part.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return cleaned.isEmpty() ? "x" : cleaned;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void close() {
        janitor.shutdownNow();
    }
}
