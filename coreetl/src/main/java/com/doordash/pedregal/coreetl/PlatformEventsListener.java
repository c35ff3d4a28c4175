package com.doordash.pedregal.coreetl;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.driver.DriverEvent;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Reports a Spark application's progress to the platform through the events file named by
 * {@code spark.pedregal.events.file} (does nothing when it is not set). Register it with
 * {@code spark.extraListeners=com.doordash.pedregal.coreetl.PlatformEventsListener}.
 *
 * <ul>
 *   <li>On application start: {@code {"event":"RUNNING","time":<epoch ms>,"app_id":"<id>","ui_url":"<url>"}};
 *       {@code ui_url} is left out when the UI is disabled or not known yet.</li>
 *   <li>While it runs: {@code {"event":"PROGRESS","time":<epoch ms>,...}} with the metrics so far (the same fields as
 *       METRICS), after every completed stage and at most once a second after finished tasks. The lines are written
 *       by a thread of their own, newest snapshot first and older ones dropped, so the listener bus never waits for
 *       the file.</li>
 *   <li>On application end: {@code {"event":"METRICS","time":<epoch ms>,"stages_completed":N,"tasks_completed":N,
 *       "records_read":N,"records_written":N,"bytes_read":N,"bytes_written":N,"executor_cpu_time_ms":N}}, summed
 *       over every finished task (stages and tasks count the successful ones). A PROGRESS line may still follow it;
 *       METRICS is final.</li>
 * </ul>
 *
 * Problems writing the file are logged, never thrown into Spark.
 */
public class PlatformEventsListener extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformEventsListener.class);
    /** How long {@link #onApplicationStart} waits for the SparkContext (and so its UI address) to be known. */
    static final long UI_WAIT_MILLIS = 10_000;
    /** The shortest time between two PROGRESS lines caused by finished tasks. */
    static final long PROGRESS_INTERVAL_MILLIS = 1_000;

    private final EventsFile events;
    private final long uiWaitMillis;
    private final AtomicLong stagesCompleted = new AtomicLong();
    private final AtomicLong tasksCompleted = new AtomicLong();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong executorCpuTimeNanos = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final LongSupplier clock;
    private final Executor progressWriter;
    private final AtomicLong lastProgress = new AtomicLong(Long.MIN_VALUE);
    /** The newest PROGRESS line not written yet; the writer takes it, so older ones are never queued. */
    private final AtomicReference<DriverEvent> pendingProgress = new AtomicReference<>();

    /** A listener reading {@code spark.pedregal.events.file} from the JVM's {@code spark.*} system properties. */
    public PlatformEventsListener() {
        this(new SparkConf());
    }

    /** A listener reading {@code spark.pedregal.events.file} from {@code conf}; Spark calls this one. */
    public PlatformEventsListener(SparkConf conf) {
        this(EventsFile.fromConf(conf).orElse(null), UI_WAIT_MILLIS);
    }

    PlatformEventsListener(EventsFile events, long uiWaitMillis) {
        this(events, uiWaitMillis, System::currentTimeMillis, events == null ? null : progressThread());
    }

    /** A listener whose PROGRESS lines are timed by {@code clock} and written by {@code progressWriter}. */
    PlatformEventsListener(EventsFile events, long uiWaitMillis, LongSupplier clock, Executor progressWriter) {
        this.events = events;
        this.uiWaitMillis = uiWaitMillis;
        this.clock = clock;
        this.progressWriter = progressWriter;
        if (events != null) {
            LOG.info("reporting application events to {}", events.path());
        }
    }

    /** The events file, if one is configured. */
    public Optional<EventsFile> eventsFile() {
        return Optional.ofNullable(events);
    }

    @Override
    public void onApplicationStart(SparkListenerApplicationStart start) {
        if (events == null || !started.compareAndSet(false, true)) {
            return;
        }
        try {
            String appId = valueOf(start.appId());
            SparkContext context = activeContext(appId);
            if (appId == null && context != null) {
                appId = context.applicationId();
            }
            String uiUrl = context == null ? null : valueOf(context.uiWebUrl());
            events.append(DriverEvent.running(start.time() > 0 ? start.time() : System.currentTimeMillis(), appId, uiUrl));
        }
        catch (RuntimeException | LinkageError e) {
            LOG.warn("could not report the application's start: {}", e.toString());
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
        if (stageCompleted.stageInfo() != null && stageCompleted.stageInfo().failureReason().isEmpty()) {
            stagesCompleted.incrementAndGet();
        }
        lastProgress.set(clock.getAsLong());
        reportProgress();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        try {
            if (taskEnd.taskInfo() != null && taskEnd.taskInfo().successful()) {
                tasksCompleted.incrementAndGet();
            }
            TaskMetrics metrics = taskEnd.taskMetrics();
            if (metrics != null) {
                recordsRead.addAndGet(metrics.inputMetrics().recordsRead());
                bytesRead.addAndGet(metrics.inputMetrics().bytesRead());
                recordsWritten.addAndGet(metrics.outputMetrics().recordsWritten());
                bytesWritten.addAndGet(metrics.outputMetrics().bytesWritten());
                executorCpuTimeNanos.addAndGet(metrics.executorCpuTime());
            }
        }
        catch (RuntimeException e) {
            LOG.warn("could not count a task's metrics: {}", e.toString());
        }
        long now = clock.getAsLong();
        long last = lastProgress.get();
        if ((last == Long.MIN_VALUE || now - last >= PROGRESS_INTERVAL_MILLIS) && lastProgress.compareAndSet(last, now)) {
            reportProgress();
        }
    }

    /** Hands a PROGRESS line with the metrics so far to the writer thread; returns at once. */
    private void reportProgress() {
        if (events == null || ended.get()) {
            return;
        }
        try {
            if (pendingProgress.getAndSet(DriverEvent.progress(clock.getAsLong(), metricsSoFar())) == null) {
                progressWriter.execute(this::writeProgress);
            }
        }
        catch (RuntimeException e) {
            LOG.warn("could not report the application's progress: {}", e.toString());
        }
    }

    private void writeProgress() {
        DriverEvent line = pendingProgress.getAndSet(null);
        if (line != null) {
            events.append(line);
        }
    }

    private JobMetrics metricsSoFar() {
        return new JobMetrics(recordsRead.get(), recordsWritten.get(), bytesRead.get(), bytesWritten.get(),
                stagesCompleted.get(), tasksCompleted.get(), executorCpuTimeNanos.get() / 1_000_000);
    }

    private static ExecutorService progressThread() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dcp-progress-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
        reportEnd(end.time() > 0 ? end.time() : System.currentTimeMillis());
    }

    /**
     * Reports the final METRICS now, once: at the application's end, or — on a warm driver that serves its team's next
     * job in the same application — at the end of the job this listener counted.
     */
    public void reportEnd(long time) {
        if (events == null || !ended.compareAndSet(false, true)) {
            return;
        }
        try {
            pendingProgress.set(null);
            events.append(DriverEvent.metrics(time, metricsSoFar()));
        }
        catch (RuntimeException | LinkageError e) {
            LOG.warn("could not report the application's metrics: {}", e.toString());
        }
        finally {
            if (progressWriter instanceof ExecutorService service) {
                service.shutdown();
            }
        }
    }

    /**
     * The SparkContext of application {@code appId}. The start event is posted while the SparkContext is still
     * being built, so this waits (at most {@code uiWaitMillis}) for the session holding it to become the default
     * one. (It does not call {@code SparkContext.getActive}: that takes the lock held while a context is built,
     * and a context that fails to build waits for this listener's thread while holding it.)
     */
    private SparkContext activeContext(String appId) {
        long deadline = System.currentTimeMillis() + uiWaitMillis;
        while (true) {
            Option<SparkSession> session = SparkSession.getDefaultSession();
            if (session.isDefined()) {
                SparkContext context = session.get().sparkContext();
                if (!context.isStopped() && (appId == null || appId.equals(context.applicationId()))) {
                    return context;
                }
            }
            if (System.currentTimeMillis() >= deadline) {
                return null;
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static String valueOf(Option<String> option) {
        return option != null && option.isDefined() ? option.get() : null;
    }
}
