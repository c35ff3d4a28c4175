package com.doordash.pedregal.coreetl;

import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;

/** Turns failures into the one-line messages the platform reads from stderr and the events file. */
public final class Messages {
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
        return STACK_FRAME.matcher(text).replaceAll("").trim();
    }

    private static boolean hasErrorClass(Throwable failure) {
        return failure instanceof SparkThrowable spark && spark.getErrorClass() != null;
    }

    private static String nonBlank(String text, Throwable failure) {
        return text == null || text.isBlank() ? failure.getClass().getName() : text;
    }
}
