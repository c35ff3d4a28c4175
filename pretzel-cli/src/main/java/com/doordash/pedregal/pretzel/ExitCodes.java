package com.doordash.pedregal.pretzel;

import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes of every {@code pretzel} command, listed in every command's help. */
final class ExitCodes {
    /** The command did what was asked. */
    static final int OK = 0;
    /** The job did not succeed, or the test FAILED. */
    static final int FAILED = 1;
    /** The command line, a file or the configuration is wrong; nothing was sent. */
    static final int USAGE = 2;
    /** The server refused the request (4xx): a bad manifest, an unknown job or playground, a bad token, … */
    static final int REFUSED = 3;
    /** The server could not be reached, did not answer in time, or failed (5xx). */
    static final int UNAVAILABLE = 4;

    private ExitCodes() {
    }

    /** The list shown under "Exit codes:" in the help. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(OK + "", "ok");
        list.put(FAILED + "", "the job did not succeed, or the test FAILED");
        list.put(USAGE + "", "usage error: bad option or argument, unreadable file or configuration");
        list.put(REFUSED + "", "the server refused the request (HTTP 4xx), e.g. a bad manifest, an unknown job, a bad token");
        list.put(UNAVAILABLE + "", "the server is unreachable, timed out or failed (HTTP 5xx)");
        return list;
    }
}
