package com.doordash.pedregal.pretzel;

import com.doordash.pedregal.client.CancelJobResponse;
import com.doordash.pedregal.client.JobState;
import com.doordash.pedregal.client.JobStatus;
import com.doordash.pedregal.client.ListJobsRequest;
import com.doordash.pedregal.client.SubmitJobResponse;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pretzel jobs}: submit, follow, list, read the logs of and cancel Spark jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Submit, follow, list, read the logs of and cancel Spark jobs.",
        subcommands = {JobsCommand.Submit.class, JobsCommand.Status.class, JobsCommand.ListJobs.class,
            JobsCommand.Logs.class, JobsCommand.Cancel.class},
        footer = {"", "Example:", "  pretzel jobs submit job.json --wait", "  pretzel jobs list --status RUNNING"})
final class JobsCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(terminal().err());
        return ExitCodes.USAGE;
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Submits a job: FILE is the REST API's submit body (JSON: name, team, user, config), as in the "
                + "README's curl example.", "With --wait, shows the job's progress until it ends, then its result."},
            footer = {"", "Example:", "  pretzel jobs submit job.json --wait"})
    static final class Submit extends BaseCommand {
        @Parameters(paramLabel = "FILE", description = "The submit body, JSON.")
        Path file;

        @Option(names = "--wait", description = "Follow the job until it ends; exit 1 unless it SUCCEEDED.")
        boolean await;

        @Override
        public Integer call() {
            String body = readFile(file);
            JsonNode request = parse(file, body);
            SubmitJobResponse response = client().submitJobJson(body);
            if (json()) {
                printJson(response.getJson());
            }
            else {
                out().println("submitted job " + response.getJobId() + " (" + response.getStatus() + ")");
            }
            if (!await) {
                return ExitCodes.OK;
            }
            JobFollower follower = new JobFollower(client(), terminal(), JobFollower.POLL_INTERVAL);
            JobStatus status = follower.follow(response.getJobId(), json());
            if (json()) {
                printJson(status.getJson());
                return status.getStatus() == JobState.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
            }
            return follower.report(status, sinkTables(request));
        }

        private static JsonNode parse(Path file, String body) {
            try {
                JsonNode json = Json.mapper().readTree(body);
                if (json == null || !json.isObject()) {
                    throw new UsageException(file + ": not a JSON object (expected: the submit body {\"name\", \"team\", "
                            + "\"user\", \"config\"})");
                }
                return json;
            }
            catch (JsonProcessingException e) {
                throw new UsageException(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
                        + ": not JSON: " + e.getOriginalMessage());
            }
        }

        /** The tables the job's sinks write, {@code catalog.database.table}; the spec may be a string holding JSON. */
        static List<String> sinkTables(JsonNode request) {
            JsonNode spec = request.path("config").path("core_etl").path("job_spec");
            if (spec.isTextual()) {
                try {
                    spec = Json.mapper().readTree(spec.textValue());
                }
                catch (JsonProcessingException e) {
                    return List.of();
                }
            }
            List<String> tables = new ArrayList<>();
            for (JsonNode sink : spec.path("sinks")) {
                tables.add(sink.path("catalog").asText("pedregal") + "." + sink.path("database").asText() + "."
                        + sink.path("table").asText());
            }
            return tables;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a job's status.",
            footer = {"", "Example:", "  pretzel jobs status 3f0c2b9e-…"})
    static final class Status extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The job's id.")
        String jobId;

        @Override
        public Integer call() {
            JobStatus status = client().getJob(jobId);
            if (json()) {
                printJson(status.getJson());
                return ExitCodes.OK;
            }
            TextTable table = TextTable.withoutHeader(2);
            table.row(List.of("job", status.getJobId()));
            table.row(List.of("name", status.getName()));
            table.row(List.of("team", status.getTeam()));
            table.row(List.of("user", status.getUser()));
            table.row(List.of("status", status.getStatus().toString()));
            table.row(List.of("spark", status.getSparkVersion() + " on " + status.getBackend()));
            status.getSubmitTime().ifPresent(time -> table.row(List.of("submitted", time.toString())));
            status.getStartTime().ifPresent(time -> table.row(List.of("started", time.toString())));
            status.getEndTime().ifPresent(time -> table.row(List.of("ended", time.toString())));
            JobFollower.elapsed(status, Instant.now()).ifPresent(d -> table.row(List.of("elapsed", JobFollower.clock(d))));
            status.getMetrics().ifPresent(m -> table.row(List.of("metrics", "records read " + m.getRecordsRead()
                    + ", written " + m.getRecordsWritten() + "; stages " + m.getStagesCompleted() + ", tasks "
                    + m.getTasksCompleted())));
            status.getSparkUiUrl().ifPresent(url -> table.row(List.of("spark ui", url)));
            status.getLogsUrl().ifPresent(url -> table.row(List.of("logs", url)));
            status.getErrorMessage().ifPresent(error -> table.row(List.of("error", error)));
            out().print(table.render(""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists jobs, newest first.",
            footer = {"", "Example:", "  pretzel jobs list --team data-infra --status FAILED --limit 10"})
    static final class ListJobs extends BaseCommand {
        @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's jobs (default: all your teams').")
        String team;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only jobs in this state: PENDING, SUBMITTED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT.")
        JobState status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N jobs (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new UsageException("--limit: " + limit + " (expected: >= 1)");
            }
            if (status == JobState.UNKNOWN) {
                throw new UsageException("--status: UNKNOWN is not a job state");
            }
            ListJobsRequest.Builder request = ListJobsRequest.builder().pageSize(Math.min(limit, 500));
            if (team != null) {
                request.team(team);
            }
            if (status != null) {
                request.status(status);
            }
            List<JobStatus> jobs = client().listJobs(request.build()).limit(limit).toList();
            if (json()) {
                ObjectNode answer = Json.mapper().createObjectNode();
                ArrayNode array = answer.putArray("jobs");
                jobs.forEach(job -> array.add(job.getJson()));
                printJson(answer);
                return ExitCodes.OK;
            }
            if (jobs.isEmpty()) {
                out().println("no jobs");
                return ExitCodes.OK;
            }
            TextTable table = new TextTable(List.of("ID", "NAME", "TEAM", "STATUS", "SUBMITTED", "ELAPSED"));
            Instant now = Instant.now();
            for (JobStatus job : jobs) {
                table.row(List.of(job.getJobId(), job.getName(), job.getTeam(), job.getStatus().toString(),
                        job.getSubmitTime().map(Instant::toString).orElse(""),
                        JobFollower.elapsed(job, now).map(JobFollower::clock).orElse("")));
            }
            out().print(table.render(""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints a job's driver log.",
            footer = {"", "Example:", "  pretzel jobs logs 3f0c2b9e-… --tail 50 --follow"})
    static final class Logs extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The job's id.")
        String jobId;

        @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.")
        Integer tail;

        @Option(names = {"-f", "--follow"}, description = "Keep printing what the job logs until it ends.")
        boolean follow;

        @Override
        public Integer call() {
            if (tail != null && tail < 1) {
                throw new UsageException("--tail: " + tail + " (expected: >= 1)");
            }
            if (!follow) {
                print(tail == null ? client().logs(jobId) : client().logs(jobId, tail));
                return ExitCodes.OK;
            }
            String log = client().logs(jobId);
            print(tail == null ? log : lastLines(log, tail));
            int printed = log.length();
            while (true) {
                boolean finished = client().getJob(jobId).isFinished();
                log = client().logs(jobId);
                if (log.length() > printed) {
                    print(log.substring(printed));
                    printed = log.length();
                }
                if (finished) {
                    return ExitCodes.OK;
                }
                try {
                    Thread.sleep(JobFollower.POLL_INTERVAL.toMillis());
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            }
        }

        private void print(String text) {
            if (text.isEmpty()) {
                return;
            }
            if (json()) {
                ObjectNode chunk = Json.mapper().createObjectNode().put("job_id", jobId).put("logs", text);
                printJson(chunk);
            }
            else {
                out().print(text);
                out().flush();
            }
        }

        static String lastLines(String text, int lines) {
            List<String> all = text.lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(line -> line + "\n").reduce("", String::concat);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancels a job; answers once its driver's processes are gone.",
            footer = {"", "Example:", "  pretzel jobs cancel 3f0c2b9e-… --reason \"wrong input\""})
    static final class Cancel extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The job's id.")
        String jobId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the job's history.")
        String reason;

        @Override
        public Integer call() {
            CancelJobResponse response = reason == null ? client().cancelJob(jobId) : client().cancelJob(jobId, reason);
            if (json()) {
                printJson(response.getJson());
            }
            else {
                out().println("job " + response.getJobId() + " " + response.getStatus()
                        + (response.getMessage().isBlank() ? "" : ": " + response.getMessage()));
            }
            return ExitCodes.OK;
        }
    }
}
