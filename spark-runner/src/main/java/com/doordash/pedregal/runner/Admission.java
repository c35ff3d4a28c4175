package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.ResourceRequest;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides which PENDING jobs start now under the {@link AdmissionConfig} limits.
 *
 * <p>Order: within a team, first submitted first; across teams, the team with the fewest jobs running goes first,
 * then the team served least recently, then the team whose waiting job is oldest. A job held back by its team's
 * or namespace's limit lets other teams pass; a job held back by a platform-wide limit holds everyone behind it, so
 * a large job is not starved by smaller ones.
 */
final class Admission {
    private final AdmissionConfig limits;
    private final Function<Job, ResourceRequest> resources;
    private final Function<Job, String> namespace;
    private final Map<String, Long> lastServed = new HashMap<>();
    private long served;

    Admission(AdmissionConfig limits, Function<Job, ResourceRequest> resources, Function<Job, String> namespace) {
        this.limits = requireNonNull(limits, "limits is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** Rejects a request that exceeds a limit on its own, so it would wait forever. */
    void checkCanEverRun(ResourceRequest request) {
        checkAtMost("config.resources", "cores", request.totalCores(), limits.maxCores(), "runner.admission.max-cores");
        checkAtMost("config.resources", "cores", request.totalCores(), limits.teamMaxCores(), "runner.admission.team-max-cores");
        checkAtMost("config.resources", "memory", request.totalMemory(), limits.maxMemory(), "runner.admission.max-memory");
        checkAtMost("config.resources", "memory", request.totalMemory(), limits.teamMaxMemory(),
                "runner.admission.team-max-memory");
    }

    private static void checkAtMost(String field, String what, long asked, long limit, String key) {
        if (limit > 0 && asked > limit) {
            boolean memory = what.equals("memory");
            throw new InvalidRequestException(field, "the job asks " + (memory ? ByteSize.toMebibytes(asked) : asked)
                    + " of " + what + " in all (driver and executors), more than the platform ever grants "
                    + (key.contains("team") ? "one team" : "all jobs together") + " at once (" + key + " = "
                    + (memory ? ByteSize.toMebibytes(limit) : limit) + ")");
        }
    }

    /**
     * The jobs of {@code pending} to launch now, in launch order, given the {@code active} ones (launched and
     * unfinished, or being launched).
     */
    List<Job> admit(List<Job> pending, List<Job> active) {
        Map<String, List<Job>> queues = new LinkedHashMap<>();
        pending.stream()
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::jobId))
                .forEach(job -> queues.computeIfAbsent(job.team(), team -> new ArrayList<>()).add(job));
        return admit(queues, active, job -> false);
    }

    /**
     * The jobs to launch now, in launch order: {@code queues} holds each team's PENDING jobs in submit order (only
     * their heads are read, so a long backlog costs nothing while nothing can start), {@code active} the launched
     * and unfinished ones and those being launched, whose PENDING copies {@code launching} tells apart.
     */
    synchronized List<Job> admit(Map<String, ? extends Iterable<Job>> queues, List<Job> active, Predicate<Job> launching) {
        if (limits.maxRunning() > 0 && active.size() >= limits.maxRunning()) {
            return List.of(); // nothing can start
        }
        Usage global = new Usage();
        Map<String, Usage> teams = new HashMap<>();
        Map<String, Integer> namespaces = new HashMap<>();
        for (Job job : active) {
            ResourceRequest request = resources.apply(job);
            global.add(request);
            teams.computeIfAbsent(job.team(), team -> new Usage()).add(request);
            namespaces.merge(namespace.apply(job), 1, Integer::sum);
        }
        Map<String, Head> heads = new LinkedHashMap<>();
        queues.forEach((team, queue) -> {
            Head head = new Head(queue.iterator(), launching);
            if (head.peek() != null) {
                heads.put(team, head);
            }
        });

        List<Job> admitted = new ArrayList<>();
        Set<String> heldBack = new HashSet<>();
        while (true) {
            String team = heads.entrySet().stream()
                    .filter(entry -> entry.getValue().peek() != null && !heldBack.contains(entry.getKey()))
                    .map(Map.Entry::getKey)
                    .min(Comparator.<String>comparingInt(name -> teams.getOrDefault(name, Usage.NONE).running)
                            .thenComparingLong(name -> lastServed.getOrDefault(name, -1L))
                            .thenComparing(name -> heads.get(name).peek().createdAt()))
                    .orElse(null);
            if (team == null) {
                return admitted;
            }
            Job job = heads.get(team).peek();
            ResourceRequest request = resources.apply(job);
            if (!global.fits(request, limits.maxRunning(), limits.maxCores(), limits.maxMemory())) {
                return admitted;
            }
            Usage teamUsage = teams.computeIfAbsent(team, name -> new Usage());
            String jobNamespace = namespace.apply(job);
            boolean namespaceFull = limits.namespaceMaxRunning() > 0
                    && namespaces.getOrDefault(jobNamespace, 0) >= limits.namespaceMaxRunning();
            if (namespaceFull || !teamUsage.fits(request, limits.teamMaxRunning(), limits.teamMaxCores(),
                    limits.teamMaxMemory())) {
                heldBack.add(team);
                continue;
            }
            heads.get(team).next();
            global.add(request);
            teamUsage.add(request);
            namespaces.merge(jobNamespace, 1, Integer::sum);
            lastServed.put(team, ++served);
            admitted.add(job);
        }
    }

    /** The first job of a team's queue not being launched already, read lazily. */
    private static final class Head {
        private final Iterator<Job> queue;
        private final Predicate<Job> skip;
        private Job head;

        Head(Iterator<Job> queue, Predicate<Job> skip) {
            this.queue = queue;
            this.skip = skip;
            next();
        }

        Job peek() {
            return head;
        }

        void next() {
            head = null;
            while (queue.hasNext()) {
                Job job = queue.next();
                if (!skip.test(job)) {
                    head = job;
                    return;
                }
            }
        }
    }

    /** What a set of jobs holds. */
    private static final class Usage {
        static final Usage NONE = new Usage();
        int running;
        long cores;
        long memory;

        void add(ResourceRequest request) {
            running++;
            cores += request.totalCores();
            memory += request.totalMemory();
        }

        boolean fits(ResourceRequest request, int maxRunning, long maxCores, long maxMemory) {
            return (maxRunning == 0 || running + 1 <= maxRunning)
                    && (maxCores == 0 || cores + request.totalCores() <= maxCores)
                    && (maxMemory == 0 || memory + request.totalMemory() <= maxMemory);
        }
    }
}
