package com.doordash.pedregal.pretzel;

import com.doordash.pedregal.client.JobState;
import com.doordash.pedregal.client.JobStatus;
import com.doordash.pedregal.client.ManifestCommand;
import com.doordash.pedregal.client.ManifestRequest;
import com.doordash.pedregal.client.ManifestResult;
import com.doordash.pedregal.client.TestReport;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The manifest commands {@code plan}, {@code apply}, {@code test}, {@code run} and {@code delete}: for any kind
 * ({@code pretzel apply -f FILE}) and, through {@link DerivedDatasetCommand}, for DerivedDatasets. The manifest's text
 * goes to the server, which parses it: a bad manifest comes back as one {@code file:line:column: field: reason} line.
 */
final class ManifestCommands {
    private ManifestCommands() {
    }

    /** One manifest command: sends the file and prints the answer. */
    abstract static class Action extends BaseCommand {
        abstract ManifestCommand command();

        abstract Path file();

        /** The kind expected, or null for any. */
        String kind() {
            return null;
        }

        /** The options of a {@code test}, as JSON, or null. */
        String testOptions() {
            return null;
        }

        boolean showExplain() {
            return false;
        }

        boolean noWait() {
            return false;
        }

        @Override
        public Integer call() {
            String text = readFile(file());
            ManifestRequest.Builder request = ManifestRequest.builder().manifest(text).file(file().toString());
            if (kind() != null) {
                request.kind(kind());
                // A DerivedDataset lives in a playground: all but test need one, so say so before sending anything.
                if (command() != ManifestCommand.TEST) {
                    requirePlayground();
                }
            }
            playground().ifPresent(request::playground);
            if (testOptions() != null) {
                request.options(testOptions());
            }
            ManifestResult result = client().manifest(command(), request.build());
            if (json()) {
                printJson(result.json());
            }
            return switch (command()) {
                case PLAN -> plan(result);
                case APPLY -> apply(result);
                case TEST -> test(result);
                case RUN -> run(result);
                case DELETE -> delete(result);
            };
        }

        private String subject(ManifestResult result) {
            return result.kind() + " " + result.name() + (result.playground() == null ? "" : " in playground " + result.playground());
        }

        private int plan(ManifestResult result) {
            if (json()) {
                return ExitCodes.OK;
            }
            out().println(subject(result) + ": " + result.action().orElse("?"));
            result.tables().forEach(table -> out().println("  table " + table));
            String diff = result.json().path("diff").asText("");
            if (!diff.isBlank()) {
                out().print(diff.endsWith("\n") ? diff : diff + "\n");
            }
            return ExitCodes.OK;
        }

        private int apply(ManifestResult result) {
            if (json()) {
                return ExitCodes.OK;
            }
            out().println(subject(result) + ": " + result.action().orElse("?"));
            for (JsonNode table : result.json().path("tables")) {
                out().println("  table " + table.path("table").asText() + ": " + table.path("action").asText());
                if (table.path("schema").size() > 0) {
                    out().print(ReportRenderer.columns(table.path("schema"), "    "));
                }
            }
            String diff = result.json().path("diff").asText("");
            if (!diff.isBlank()) {
                out().print(diff.endsWith("\n") ? diff : diff + "\n");
            }
            return ExitCodes.OK;
        }

        private int test(ManifestResult result) {
            TestReport report = result.report().orElseThrow(() -> new IllegalStateException("the server's answer has no report"));
            if (!json()) {
                out().println("test of " + subject(result));
                out().print(ReportRenderer.render(report.json(), showExplain()));
            }
            return report.passed() ? ExitCodes.OK : ExitCodes.FAILED;
        }

        private int run(ManifestResult result) {
            String jobId = result.jobId().orElseThrow(() -> new IllegalStateException("the server's answer has no job_id"));
            if (!json()) {
                out().println("running " + subject(result) + " as job " + jobId);
            }
            if (noWait()) {
                return ExitCodes.OK;
            }
            JobFollower follower = new JobFollower(client(), terminal(), JobFollower.POLL_INTERVAL);
            JobStatus status = follower.follow(jobId, json());
            if (json()) {
                printJson(status.getJson());
                return status.getStatus() == JobState.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
            }
            return follower.report(status, result.tables());
        }

        private int delete(ManifestResult result) {
            if (json()) {
                return ExitCodes.OK;
            }
            List<String> dropped = result.tables();
            out().println("deleted " + subject(result));
            out().println("dropped tables: " + (dropped.isEmpty() ? "none" : String.join(", ", dropped)));
            return ExitCodes.OK;
        }
    }

    /** The options of {@code test}. */
    abstract static class TestAction extends Action {
        @Option(names = "--preview-limit", paramLabel = "N", description = "Rows in the preview (default 20, at most 100).")
        Integer previewLimit;

        @Option(names = "--explain", description = "Also print the query plan.")
        boolean explain;

        @Override
        ManifestCommand command() {
            return ManifestCommand.TEST;
        }

        @Override
        String testOptions() {
            if (previewLimit == null) {
                return null;
            }
            if (previewLimit < 0) {
                throw new UsageException("--preview-limit: " + previewLimit + " (expected: >= 0)");
            }
            return "{\"preview_limit\": " + previewLimit + "}";
        }

        @Override
        boolean showExplain() {
            return explain;
        }
    }

    /** The options of {@code run}. */
    abstract static class RunAction extends Action {
        @Option(names = "--no-wait", description = "Print the job's id and return at once, without following it.")
        boolean noWait;

        @Override
        ManifestCommand command() {
            return ManifestCommand.RUN;
        }

        @Override
        boolean noWait() {
            return noWait;
        }
    }

    private static final String FILE_DESCRIPTION = "The manifest, YAML or JSON (apiVersion, kind, metadata, spec).";

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Shows what 'apply' would change in the playground, changing nothing.",
            footer = {"", "Example:", "  pretzel plan -f manifest.yaml"})
    static final class Plan extends Action {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = FILE_DESCRIPTION)
        Path file;

        @Override
        ManifestCommand command() {
            return ManifestCommand.PLAN;
        }

        @Override
        Path file() {
            return file;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Creates or updates the manifest's resource (and its tables) in the playground.",
            footer = {"", "Example:", "  pretzel apply -f manifest.yaml"})
    static final class Apply extends Action {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = FILE_DESCRIPTION)
        Path file;

        @Override
        ManifestCommand command() {
            return ManifestCommand.APPLY;
        }

        @Override
        Path file() {
            return file;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Validates the manifest's spec on the read-only test cluster and prints the report: status, "
                + "findings, schemas, lineage, schema diff, preview, cost. Writes nothing.", "Exits 1 when the test FAILED."},
            footer = {"", "Example:", "  pretzel test -f manifest.yaml --preview-limit 5"})
    static final class Test extends TestAction {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = FILE_DESCRIPTION)
        Path file;

        @Override
        Path file() {
            return file;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs the manifest's job in the playground, showing its progress, then its result: the tables "
                + "written and the row count.", "Exits 1 unless the job SUCCEEDED."},
            footer = {"", "Example:", "  pretzel run -f manifest.yaml"})
    static final class Run extends RunAction {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = FILE_DESCRIPTION)
        Path file;

        @Override
        Path file() {
            return file;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Removes the manifest's resource from the playground and drops its tables.",
            footer = {"", "Example:", "  pretzel delete -f manifest.yaml"})
    static final class Delete extends Action {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = FILE_DESCRIPTION)
        Path file;

        @Override
        ManifestCommand command() {
            return ManifestCommand.DELETE;
        }

        @Override
        Path file() {
            return file;
        }
    }
}
