package com.doordash.pedregal.pretzel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code test} report as text for people: the status line, findings, schemas, lineage, schema diff, preview
 * (an aligned table) and cost; the plan only when asked. Sections the report does not have are left out.
 */
final class ReportRenderer {
    private static final int MAX_CELL = 40;

    private ReportRenderer() {
    }

    static String render(JsonNode report, boolean withExplain) {
        StringBuilder text = new StringBuilder();
        text.append(statusLine(report)).append('\n');
        findings(report.path("findings"), text);
        schemas(report.path("schemas"), text);
        lineage(report.path("lineage"), text);
        schemaDiff(report.path("schema_diff"), text);
        preview(report.path("preview"), text);
        cost(report.path("cost"), text);
        if (withExplain && report.path("explain").isTextual()) {
            text.append("\nPlan:\n");
            report.path("explain").textValue().lines().forEach(line -> text.append("  ").append(line).append('\n'));
        }
        return text.toString();
    }

    /** {@code FAILED in 450 ms: 1 error, 2 warnings}. */
    static String statusLine(JsonNode report) {
        int errors = 0;
        int warnings = 0;
        for (JsonNode finding : report.path("findings")) {
            String severity = finding.path("severity").asText();
            errors += "error".equals(severity) ? 1 : 0;
            warnings += "warning".equals(severity) ? 1 : 0;
        }
        StringBuilder line = new StringBuilder(report.path("status").asText("UNKNOWN"));
        JsonNode total = report.path("timings_ms").path("total");
        if (total.isNumber()) {
            line.append(" in ").append(total.asLong()).append(" ms");
        }
        if (errors + warnings > 0) {
            List<String> counts = new ArrayList<>();
            if (errors > 0) {
                counts.add(errors + (errors == 1 ? " error" : " errors"));
            }
            if (warnings > 0) {
                counts.add(warnings + (warnings == 1 ? " warning" : " warnings"));
            }
            line.append(": ").append(String.join(", ", counts));
        }
        return line.toString();
    }

    private static void findings(JsonNode findings, StringBuilder text) {
        if (findings.size() == 0) {
            return;
        }
        text.append("\nFindings:\n");
        for (JsonNode finding : findings) {
            List<String> where = new ArrayList<>();
            if (finding.path("transformation").isNumber()) {
                where.add("transformations[" + finding.path("transformation").asInt() + "]");
            }
            if (finding.path("line").isNumber()) {
                where.add("line " + finding.path("line").asInt());
            }
            if (finding.path("column").isNumber()) {
                where.add("column " + finding.path("column").asInt());
            }
            if (finding.path("name").isTextual()) {
                where.add("name " + finding.path("name").textValue());
            }
            text.append("  ").append(String.format("%-8s", finding.path("severity").asText()))
                    .append(finding.path("code").asText())
                    .append(where.isEmpty() ? "" : " (" + String.join(", ", where) + ")")
                    .append(": ").append(firstLine(finding.path("message").asText())).append('\n');
        }
    }

    private static void schemas(JsonNode schemas, StringBuilder text) {
        if (!schemas.isObject()) {
            return;
        }
        for (JsonNode schema : schemas.path("transformations")) {
            text.append("\nSchema of transformations[").append(schema.path("index").asInt()).append(']')
                    .append(schema.path("name").isTextual() ? " (" + schema.path("name").textValue() + ")" : "")
                    .append(":\n").append(columns(schema.path("columns"), "  "));
        }
        for (JsonNode schema : schemas.path("sinks")) {
            text.append("\nSchema of sink ").append(schema.path("table").asText()).append(":\n")
                    .append(columns(schema.path("columns"), "  "));
        }
    }

    /** Columns {@code [{name, type, nullable}]}, aligned: {@code name  type  [not null]}. */
    static String columns(JsonNode columns, String indent) {
        TextTable table = TextTable.withoutHeader(3);
        for (JsonNode column : columns) {
            table.row(List.of(column.path("name").asText(), column.path("type").asText(),
                    column.path("nullable").asBoolean(true) ? "" : "not null"));
        }
        return table.render(indent);
    }

    private static void lineage(JsonNode lineage, StringBuilder text) {
        if (!lineage.isObject() || lineage.path("tables").size() == 0) {
            return;
        }
        text.append("\nLineage:\n");
        for (JsonNode table : lineage.path("tables")) {
            String sink = table.path("sink").asText();
            text.append("  ").append(sink).append(" <- ").append(join(table.path("sources"))).append('\n');
            TextTable columns = TextTable.withoutHeader(3);
            for (JsonNode column : lineage.path("columns")) {
                if (sink.equals(column.path("sink").asText())) {
                    columns.row(List.of(column.path("column").asText(), "<-", join(column.path("sources"))));
                }
            }
            text.append(columns.render("    "));
        }
    }

    private static void schemaDiff(JsonNode diffs, StringBuilder text) {
        if (diffs.size() == 0) {
            return;
        }
        text.append("\nSchema diff:\n");
        for (JsonNode diff : diffs) {
            String sink = diff.path("sink").asText();
            if (!diff.path("exists").asBoolean(true)) {
                text.append("  ").append(sink).append(": new table\n");
                continue;
            }
            if (diff.path("changes").size() == 0) {
                text.append("  ").append(sink).append(": no changes\n");
                continue;
            }
            text.append("  ").append(sink).append(":\n");
            TextTable changes = TextTable.withoutHeader(4);
            for (JsonNode change : diff.path("changes")) {
                String kind = change.path("change").asText();
                String sign = switch (kind) {
                    case "added" -> "+";
                    case "removed" -> "-";
                    default -> "~";
                };
                String from = change.path("from").isNull() ? "" : change.path("from").asText();
                String to = change.path("to").isNull() ? "" : change.path("to").asText();
                String types = from.isEmpty() ? to : to.isEmpty() ? from : from + " -> " + to;
                changes.row(List.of(sign + " " + change.path("column").asText(), kind, types,
                        change.path("breaking").asBoolean() ? "BREAKING" : ""));
            }
            text.append(changes.render("    "));
        }
    }

    private static void preview(JsonNode preview, StringBuilder text) {
        if (!preview.isObject()) {
            return;
        }
        List<String> header = new ArrayList<>();
        preview.path("columns").forEach(column -> header.add(column.asText()));
        int rows = preview.path("rows").size();
        text.append("\nPreview (").append(rows).append(rows == 1 ? " row" : " rows")
                .append(preview.path("limit").isNumber() ? ", limit " + preview.path("limit").asInt() : "").append("):\n");
        if (header.isEmpty()) {
            return;
        }
        TextTable table = new TextTable(header);
        for (JsonNode row : preview.path("rows")) {
            List<String> cells = new ArrayList<>();
            row.forEach(value -> cells.add(cell(value)));
            table.row(cells);
        }
        text.append(table.render("  "));
    }

    private static void cost(JsonNode cost, StringBuilder text) {
        if (cost.size() == 0) {
            return;
        }
        text.append("\nCost:\n");
        TextTable table = TextTable.withoutHeader(3);
        for (JsonNode source : cost) {
            table.row(List.of(source.path("source").asText(),
                    source.path("files").asLong() + " of " + source.path("total_files").asLong() + " files",
                    bytes(source.path("bytes").asLong()) + " of " + bytes(source.path("total_bytes").asLong())));
        }
        text.append(table.render("  "));
    }

    /** {@code 512 B}, {@code 156.4 KiB}, {@code 2.0 GiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String cell(JsonNode value) {
        String text = value.isNull() ? "NULL" : value.isValueNode() ? value.asText() : value.toString();
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return items.isEmpty() ? "(none)" : String.join(", ", items);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline) + " …";
    }
}
