package com.doordash.pedregal.gateway.internal;

import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hot pool's warm drivers and counters, whatever runs them (a process of this machine, a container): which are
 * starting, which idle, how many the pool keeps now (its size, grown by demand up to its maximum, shrunk back when
 * idle). Every method holds the pool's lock; the caller starts and stops the drivers.
 *
 * @param <D> the warm drivers
 */
public final class WarmPool<D extends WarmPool.Warm> {
    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);
    private static final int HAND_OFF_HISTORY = 100;

    /** A warm driver as the pool sees it. */
    public interface Warm {
        String id();

        /** When it was started, {@link System#nanoTime()}. */
        long startedNanos();

        boolean isAlive();

        /** Whether it warmed up and waits for a job. */
        boolean isReady();
    }

    private final String sparkVersion;
    private final String namespace;
    /** The configured size: the pool never shrinks below it. */
    private final int size;
    /** How far demand may grow it. */
    private final int max;
    /** How many warm drivers it keeps now: grows with cold starts, shrinks back when idle. */
    private int target;
    private long lastDemandNanos = System.nanoTime();
    private final Deque<D> idle = new ArrayDeque<>();
    private final List<D> starting = new ArrayList<>();
    private final Deque<Long> handOffMillis = new ArrayDeque<>();
    private long handOffs;
    private long coldStarts;
    private long replaced;

    /**
     * A pool of {@code size} drivers of runtime {@code sparkVersion} for {@code namespace}, growing with demand up to
     * {@code maxSize} (never below its own size); a pool of size 0 stays empty.
     */
    public WarmPool(String sparkVersion, String namespace, int size, int maxSize) {
        this.sparkVersion = sparkVersion;
        this.namespace = namespace;
        this.size = size;
        this.max = size == 0 ? 0 : Math.max(size, maxSize);
        this.target = size;
    }

    /** The key of the pool of {@code sparkVersion} and {@code namespace} in a map of pools: its name. */
    public static String key(String sparkVersion, String namespace) {
        return sparkVersion + "/" + namespace;
    }

    /**
     * Of {@code pools} (by {@link #key}), the pool serving jobs of {@code namespace} on runtime {@code sparkVersion}: its
     * own, else the runtime's {@code default} pool; or null.
     */
    public static <D extends Warm> WarmPool<D> serving(Map<String, WarmPool<D>> pools, String sparkVersion,
            String namespace) {
        return pools.getOrDefault(key(sparkVersion, namespace), pools.get(key(sparkVersion, LaunchRequest.DEFAULT_NAMESPACE)));
    }

    /** Of {@code pools}, those that would serve jobs of {@code namespace} on any runtime, leaving out empty ones. */
    public static <D extends Warm> Set<WarmPool<D>> servingNamespace(Map<String, WarmPool<D>> pools, String namespace) {
        Set<WarmPool<D>> serving = new LinkedHashSet<>();
        for (WarmPool<D> pool : pools.values()) {
            WarmPool<D> candidate = serving(pools, pool.sparkVersion(), namespace);
            if (candidate != null && candidate.size() > 0) {
                serving.add(candidate);
            }
        }
        return serving;
    }

    public String sparkVersion() {
        return sparkVersion;
    }

    public String namespace() {
        return namespace;
    }

    /** The configured size. */
    public int size() {
        return size;
    }

    /** How far demand may grow it. */
    public int max() {
        return max;
    }

    /** The pool's name in logs: {@code <spark_version>/<namespace>}. */
    @Override
    public String toString() {
        return key(sparkVersion, namespace);
    }

    public synchronized int target() {
        return target;
    }

    /** One more driver, unless at the maximum; whether it grew. */
    public synchronized boolean grow() {
        lastDemandNanos = System.nanoTime();
        if (target >= max) {
            return false;
        }
        target++;
        return true;
    }

    /**
     * An idle driver to give back when the pool grew beyond its size and no driver was asked for in
     * {@code idleNanos}; null otherwise. One per idle period.
     */
    public synchronized D shrinkIfIdle(long idleNanos) {
        if (target <= size || System.nanoTime() - lastDemandNanos < idleNanos || idle.isEmpty() || !starting.isEmpty()) {
            return null;
        }
        target--;
        lastDemandNanos = System.nanoTime();
        return idle.pollLast();
    }

    /** An idle live driver, or null; dead ones met on the way go to {@code dead} (the refill task replaces them). */
    public synchronized D takeIdle(Consumer<D> dead) {
        while (!idle.isEmpty()) {
            D driver = idle.pollFirst();
            if (driver.isAlive()) {
                return driver;
            }
            replaced++;
            dead.accept(driver);
        }
        return null;
    }

    /** Moves ready drivers to idle; removes and returns the dead and the too slow ones. */
    public synchronized List<D> checkDrivers(long startTimeoutNanos) {
        List<D> broken = new ArrayList<>();
        for (D driver : List.copyOf(starting)) {
            if (!driver.isAlive() || System.nanoTime() - driver.startedNanos() > startTimeoutNanos) {
                starting.remove(driver);
                broken.add(driver);
            }
            else if (driver.isReady()) {
                starting.remove(driver);
                idle.addLast(driver);
                log.info("Warm driver {} of pool {} is ready after {} ms", driver.id(), this,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - driver.startedNanos()));
            }
        }
        for (D driver : List.copyOf(idle)) {
            if (!driver.isAlive()) {
                idle.remove(driver);
                broken.add(driver);
            }
        }
        replaced += broken.size();
        return broken;
    }

    /** How many drivers to start for the pool to reach its target. */
    public synchronized int missing() {
        return target - idle.size() - starting.size();
    }

    public synchronized void addStarting(D driver) {
        starting.add(driver);
    }

    public synchronized void countColdStart() {
        coldStarts++;
    }

    public synchronized void countHandOff(long millis) {
        lastDemandNanos = System.nanoTime();
        handOffs++;
        handOffMillis.addLast(millis);
        if (handOffMillis.size() > HAND_OFF_HISTORY) {
            handOffMillis.removeFirst();
        }
    }

    /** Empties the pool; its idle and starting drivers, for the caller to stop. */
    public synchronized List<D> drain() {
        List<D> all = new ArrayList<>(idle);
        all.addAll(starting);
        idle.clear();
        starting.clear();
        return all;
    }

    /** The pool's state, as a pool of {@code backend}. */
    public synchronized PoolStatus status(String backend) {
        long last = handOffMillis.isEmpty() ? -1 : handOffMillis.peekLast();
        long median = -1;
        if (!handOffMillis.isEmpty()) {
            List<Long> sorted = handOffMillis.stream().sorted().toList();
            median = sorted.get(sorted.size() / 2);
        }
        return new PoolStatus(backend, sparkVersion, namespace, target, idle.size(), starting.size(), handOffs,
                coldStarts, replaced, last, median);
    }
}
