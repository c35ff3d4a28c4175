package com.doordash.pedregal.client;

import java.util.Locale;

/** What {@link DCPSparkClient#manifest(ManifestCommand, ManifestRequest)} asks the server to do with a manifest. */
public enum ManifestCommand {
    /** Show what {@link #APPLY} would change, changing nothing. */
    PLAN,
    /** Create or update the resource (and its tables) in the playground. */
    APPLY,
    /** Validate the manifest's spec on the read-only test cluster; writes nothing. */
    TEST,
    /** Run the resource's job in the playground; the answer carries the job's id. */
    RUN,
    /** Remove the resource and drop its tables from the playground. */
    DELETE;

    /** The command as it appears in the path: {@code plan}, {@code apply}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
