package com.doordash.pedregal.coreetl;

import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;

/** Turns failures into the one-line messages the platform reads from stderr and the events file. */
public final class Messages {
    private static final String CATALOG = "pedregal";
    /** The longest message printed on a failure line. */
    public static final int MAX_LENGTH = 2000;

    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s*(at [^\\s(]+\\(.*\\)|\\.\\.\\. \\d+ more)\\s*$\\R?");
    private static final String DRIVER_STACKTRACE = "Driver stacktrace:";

    private Messages() {
    }

    /**
     * Makes {@code message} fit on one line: every line break (with the blanks around it) becomes one space,
     * the ends are trimmed, and a message longer than {@link #MAX_LENGTH} is cut and ends with {@code ...}.
     */
    public static String singleLine(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        String line = LINE_BREAKS.matcher(message).replaceAll(" ").trim();
        if (line.length() > MAX_LENGTH) {
            int end = MAX_LENGTH - 3;
            if (Character.isHighSurrogate(line.charAt(end - 1))) {
                end--;
            }
            line = line.substring(0, end) + "...";
        }
        return line;
    }

    /** The one-line description of {@code failure}: its {@link #errorText} made a {@link #singleLine}. */
    public static String describe(Throwable failure) {
        return singleLine(errorText(failure));
    }

    /**
     * The text that best explains {@code failure}: a {@link CoreEtlException}'s own message; otherwise Spark's
     * message (without the logical plan an {@link AnalysisException} appends, and without stack traces). When the
     * failure itself carries no Spark error class but one of its causes does (a job aborted by a task's
     * {@code [DIVIDE_BY_ZERO]}), the cause's message is used.
     */
    public static String errorText(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        if (failure instanceof CoreEtlException) {
            return nonBlank(failure.getMessage(), failure);
        }
        Throwable best = failure;
        if (!hasErrorClass(failure)) {
            for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                if (hasErrorClass(cause)) {
                    best = cause;
                    break;
                }
            }
        }
        String text = best instanceof AnalysisException analysis && !(best instanceof ParseException)
                ? analysis.getSimpleMessage()
                : best.getMessage();
        text = nonBlank(text, best);
        int stack = text.indexOf(DRIVER_STACKTRACE);
        if (stack > 0) {
            text = text.substring(0, stack);
        }
        return STACK_FRAME.matcher(text).replaceAll("").trim() + storageHint(failure);
    }

    /**
     * For a failure S3 answered (a refused signature, a missing bucket), which bucket the job was reaching: the AWS SDK's
     * message names neither the bucket nor the key. Empty for any other failure.
     */
    private static String storageHint(Throwable failure) {
        boolean fromS3 = false;
        for (Throwable cause = failure; cause != null && !fromS3; cause = cause.getCause() == cause ? null : cause.getCause()) {
            fromS3 = cause.getClass().getName().endsWith(".S3Exception")
                    || (cause.getMessage() != null && cause.getMessage().contains("(Service: S3,"));
        }
        if (!fromS3) {
            return "";
        }
        String warehouse = catalogWarehouse();
        if (warehouse == null || !(warehouse.startsWith("s3://") || warehouse.startsWith("s3a://"))) {
            return " (S3 refused the request: check the platform's S3 endpoint and credentials)";
        }
        String bucket = warehouse.substring(warehouse.indexOf("://") + 3).split("/", 2)[0];
        return " (S3 bucket " + bucket + " of the catalog's warehouse " + warehouse
                + ": check the platform's S3 credentials and the bucket's access policy)";
    }

    private static String catalogWarehouse() {
        try {
            scala.Option<org.apache.spark.sql.SparkSession> session = org.apache.spark.sql.SparkSession.getActiveSession();
            if (session.isEmpty()) {
                session = org.apache.spark.sql.SparkSession.getDefaultSession();
            }
            return session.isEmpty() ? null
                    : session.get().conf().get("spark.sql.catalog." + CATALOG + ".warehouse", null);
        }
        catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static boolean hasErrorClass(Throwable failure) {
        return failure instanceof SparkThrowable spark && spark.getErrorClass() != null;
    }

    private static String nonBlank(String text, Throwable failure) {
        return text == null || text.isBlank() ? failure.getClass().getName() : text;
    }
}
