package com.doordash.pedregal.model;

/** Codes of findings in a {@code test} report that the platform acts on, shared by the analyzer and the server. */
public final class TestFindings {
    /**
     * The test cluster's read-only guard refused a step of the spec (a write, a path or data source, reflection, a
     * script): not a finding about the spec, but a request the platform refuses with 403.
     */
    public static final String REFUSED = "REFUSED";

    private TestFindings() {
    }
}
