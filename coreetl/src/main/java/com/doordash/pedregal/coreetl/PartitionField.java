package com.doordash.pedregal.coreetl;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * One {@code partition_by} entry of a sink: a column name (identity) or one of the transforms
 * {@code years(c)}, {@code months(c)}, {@code days(c)}, {@code hours(c)}, {@code bucket(n, c)}, {@code truncate(n, c)}.
 */
record PartitionField(String transform, int width, String column) {
    static final String IDENTITY = "identity";
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
    private static final Pattern COLUMN = Pattern.compile(NAME);
    private static final Pattern TIME = Pattern.compile("(years|months|days|hours)\\(\\s*(" + NAME + ")\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WIDTH = Pattern.compile("(bucket|truncate)\\(\\s*([0-9]{1,9})\\s*,\\s*(" + NAME + ")\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    /** Reads an entry such as {@code event_date}, {@code days(event_time)} or {@code bucket(16, user_id)}. */
    static PartitionField parse(String entry) {
        String text = entry == null ? "" : entry.trim();
        if (COLUMN.matcher(text).matches()) {
            return new PartitionField(IDENTITY, 0, text);
        }
        Matcher time = TIME.matcher(text);
        if (time.matches()) {
            return new PartitionField(time.group(1).toLowerCase(Locale.ROOT), 0, time.group(2));
        }
        Matcher width = WIDTH.matcher(text);
        if (width.matches()) {
            return new PartitionField(width.group(1).toLowerCase(Locale.ROOT), Integer.parseInt(width.group(2)), width.group(3));
        }
        throw new IllegalArgumentException("\"" + entry + "\" is not a column or a transform like days(ts), bucket(16, id)");
    }

    /** Whether {@link #toColumn()} can express this field for {@code DataFrameWriterV2.partitionedBy}. */
    boolean supportedByWriterV2() {
        return !"truncate".equals(transform);
    }

    /** The partition transform column for {@code DataFrameWriterV2.partitionedBy}; not for {@code truncate}. */
    Column toColumn() {
        Column column = functions.col(this.column);
        return switch (transform) {
            case IDENTITY -> column;
            case "years" -> functions.years(column);
            case "months" -> functions.months(column);
            case "days" -> functions.days(column);
            case "hours" -> functions.hours(column);
            case "bucket" -> functions.bucket(width, column);
            default -> throw new IllegalStateException(transform + " cannot be expressed with DataFrameWriterV2 in Spark 3.5");
        };
    }

    /** The transform in the SQL of a {@code PARTITIONED BY} clause, for example {@code truncate(4, `name`)}. */
    String toSql() {
        String quoted = "`" + column + "`";
        return switch (transform) {
            case IDENTITY -> quoted;
            case "bucket", "truncate" -> transform + "(" + width + ", " + quoted + ")";
            default -> transform + "(" + quoted + ")";
        };
    }
}
