package com.doordash.pedregal.coreetl.test;

import com.doordash.pedregal.coreetl.internal.PlanCommands;
import com.doordash.pedregal.coreetl.internal.Plans;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * The allowlist behind {@link ReadOnlyExtensions}: walks a plan and refuses every change that is not local to the
 * session (see {@link PlanCommands#sessionLocal}). So a command added by a later Spark or Iceberg version is refused
 * until it is listed there.
 *
 * <p>{@code CACHE TABLE}, {@code UNCACHE TABLE} and {@code CLEAR CACHE} are refused: the cache manager lives in
 * the shared state, so caching takes memory from every user of the cluster and clearing it affects them all.
 */
final class ReadOnlyGuard {
    private ReadOnlyGuard() {
    }

    /** Throws {@link ReadOnlyViolationException} when {@code plan} writes or changes anything outside the session. */
    static void check(LogicalPlan plan) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            if (PlanCommands.changes(node) && !PlanCommands.sessionLocal(node)) {
                throw new ReadOnlyViolationException(message(node));
            }
        }
    }

    /** Refuses a parsed plan that runs a procedure: Spark 4.0 executes CALL during analysis, before check rules. */
    static void checkParsed(LogicalPlan plan) {
        for (LogicalPlan node : Plans.nodes(plan)) {
            if (PlanCommands.call(node)) {
                throw new ReadOnlyViolationException(message(node));
            }
        }
    }

    static String message(LogicalPlan node) {
        String target = PlanCommands.target(node).map(t -> " " + t).orElse("");
        return "the test cluster is read-only: " + PlanCommands.verb(node) + target
                + " is not allowed (writes happen in 'run', in a playground)";
    }
}
