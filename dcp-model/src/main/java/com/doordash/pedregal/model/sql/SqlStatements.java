package com.doordash.pedregal.model.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a Spark SQL query from a statement that writes, before the statement reaches Spark: a lexer that follows Spark's
 * own ({@code SqlBaseLexer}) — {@code --} comments end at {@code \r} or {@code \n} unless a backslash escapes the line
 * break, {@code /* *\/} comments nest, quoted strings take backslash escapes, raw strings ({@code r'...'}) and back-quoted
 * names ({@code `a``b`}) do not — and a statement reader over its tokens.
 *
 * <p>Spark's lexing depends on session settings ({@code spark.sql.parser.escapedStringLiterals}, {@code
 * spark.sql.ansi.doubleQuotedIdentifiers}): a statement is read under every combination, and is a query only when it is
 * one under all of them. This is the first check; the driver's wall, on Spark's own parse, stays the real guarantee.
 */
public final class SqlStatements {
    private static final String SECOND_STATEMENT = "a second statement after ';'";
    private static final Set<String> STATEMENTS = Set.of("INSERT", "MERGE", "DELETE", "UPDATE", "CREATE", "DROP", "ALTER",
            "TRUNCATE", "REPLACE", "CALL", "SET", "RESET", "ADD", "LOAD", "CACHE", "UNCACHE", "CLEAR", "REFRESH", "MSCK",
            "ANALYZE", "USE", "COMMENT", "GRANT", "REVOKE", "EXECUTE", "DECLARE", "BEGIN", "EXPORT", "IMPORT", "REPAIR",
            "RESTORE", "VACUUM", "OPTIMIZE");
    private static final Set<String> JVM_CALLS = Set.of("REFLECT", "JAVA_METHOD", "TRY_REFLECT");
    private static final Set<String> QUERY_STARTS = Set.of("SELECT", "FROM", "VALUES", "TABLE", "(", "WITH");

    private SqlStatements() {
    }

    /**
     * The kind of statement when {@code sql} is not a single query ({@code INSERT INTO}, {@code CREATE TABLE}, {@code
     * MERGE INTO}, a second statement after {@code ;}, ...); empty for a query.
     */
    public static Optional<String> writeVerb(String sql) {
        for (boolean backslashEscapes : new boolean[] {true, false}) {
            for (boolean doubleQuotedNames : new boolean[] {false, true}) {
                Optional<String> verb = verb(tokens(sql, backslashEscapes, doubleQuotedNames));
                if (verb.isPresent()) {
                    return verb;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #writeVerb}, but only for statements Spark knows that change something ({@code INSERT}, {@code CREATE},
     * {@code DROP}, {@code SET}, ...) or a second statement: a statement Spark cannot parse at all ({@code SELEC}) is left
     * to Spark, whose syntax error names line and column.
     */
    public static Optional<String> knownWrite(String sql) {
        return writeVerb(sql).filter(verb -> verb.equals(SECOND_STATEMENT) || STATEMENTS.contains(verb.split(" ")[0]));
    }

    /**
     * The SQL function of {@code sql} that calls into the JVM ({@code reflect}, {@code java_method}, {@code
     * try_reflect}), or empty; found under every lexing mode, as {@link #writeVerb} does.
     */
    public static Optional<String> jvmCall(String sql) {
        for (boolean backslashEscapes : new boolean[] {true, false}) {
            for (boolean doubleQuotedNames : new boolean[] {false, true}) {
                List<String> tokens = tokens(sql, backslashEscapes, doubleQuotedNames);
                for (int i = 0; i + 1 < tokens.size(); i++) {
                    if (JVM_CALLS.contains(tokens.get(i)) && tokens.get(i + 1).equals("(")) {
                        return Optional.of(tokens.get(i).toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> verb(List<String> tokens) {
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        String first = tokens.get(0);
        if (!QUERY_STARTS.contains(first)) {
            return Optional.of(first + (tokens.size() > 1 && isWord(tokens.get(1)) ? " " + tokens.get(1) : ""));
        }
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (token.equals(";")) {
                if (tokens.subList(i + 1, tokens.size()).stream().anyMatch(rest -> !rest.equals(";"))) {
                    return Optional.of(SECOND_STATEMENT);
                }
                continue;
            }
            if (token.equals("INSERT") && (next.equals("INTO") || next.equals("OVERWRITE"))
                    || token.equals("MERGE") && next.equals("INTO")
                    || token.equals("DELETE") && next.equals("FROM")) {
                return Optional.of(token + " " + next);
            }
            if (token.equals("UPDATE") && tokens.subList(i + 1, Math.min(tokens.size(), i + 8)).contains("SET")) {
                return Optional.of("UPDATE");
            }
        }
        return Optional.empty();
    }

    private static boolean isWord(String token) {
        return !token.isEmpty() && (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_');
    }

    /**
     * The tokens that matter here: upper-cased words, {@code (}, {@code ;}; comments, literals, quoted names, numbers and
     * other symbols are dropped.
     */
    static List<String> tokens(String sql, boolean backslashEscapes, boolean doubleQuotedNames) {
        List<String> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = endOfLineComment(sql, i + 2);
            }
            else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = endOfBlockComment(sql, i + 2);
            }
            else if ((c == 'r' || c == 'R') && i + 1 < n && (sql.charAt(i + 1) == '\'' || sql.charAt(i + 1) == '"')) {
                i = endOfQuoted(sql, i + 2, sql.charAt(i + 1), false, false);
            }
            else if (c == '\'') {
                i = endOfQuoted(sql, i + 1, c, backslashEscapes, false);
            }
            else if (c == '"') {
                i = doubleQuotedNames ? endOfQuoted(sql, i + 1, c, false, true) : endOfQuoted(sql, i + 1, c, backslashEscapes, false);
            }
            else if (c == '`') {
                i = endOfQuoted(sql, i + 1, c, false, true);
            }
            else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                tokens.add(sql.substring(i, j).toUpperCase(Locale.ROOT));
                i = j;
            }
            else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '.')) {
                    j++;
                }
                i = j; // a number, possibly with a suffix (10L, 1.5BD, 1e3): never a keyword
            }
            else {
                if (c == '(' || c == ';') {
                    tokens.add(String.valueOf(c));
                }
                i++;
            }
        }
        return tokens;
    }

    /** After {@code --}: up to {@code \r} or {@code \n}; a backslash right before {@code \n} continues the comment. */
    private static int endOfLineComment(String sql, int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && i + 1 < sql.length() && sql.charAt(i + 1) == '\n') {
                i += 2;
            }
            else if (c == '\r' || c == '\n') {
                return i + 1;
            }
            else {
                i++;
            }
        }
        return i;
    }

    /** After {@code /*}: up to the matching {@code *\/}, counting nested comments; the rest of the text when unclosed. */
    private static int endOfBlockComment(String sql, int from) {
        int depth = 1;
        int i = from;
        while (i < sql.length() && depth > 0) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            }
            else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
            }
            else {
                i++;
            }
        }
        return i;
    }

    /**
     * After an opening {@code quote}: up to the closing one. With {@code backslashEscapes} a backslash escapes the next
     * character; with {@code doubled} two quotes stand for one.
     */
    private static int endOfQuoted(String sql, int from, char quote, boolean backslashEscapes, boolean doubled) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            }
            else if (c == quote) {
                if (doubled && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                }
                else {
                    return i + 1;
                }
            }
            else {
                i++;
            }
        }
        return sql.length();
    }
}
