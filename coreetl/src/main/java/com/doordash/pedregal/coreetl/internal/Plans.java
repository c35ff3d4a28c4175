package com.doordash.pedregal.coreetl.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/** Small helpers over Catalyst plans that compile against Spark 3.5 and 4.0 alike (not an API: for coreetl only). */
public final class Plans {
    private Plans() {
    }

    public static List<LogicalPlan> children(LogicalPlan plan) {
        return new ArrayList<>(CollectionConverters.asJava(plan.children()));
    }

    public static List<Expression> expressions(LogicalPlan plan) {
        return new ArrayList<>(CollectionConverters.asJava(plan.expressions()));
    }

    public static List<Expression> children(Expression expression) {
        return new ArrayList<>(CollectionConverters.asJava(expression.children()));
    }

    /** Every node of the plan, parents before children. */
    public static List<LogicalPlan> nodes(LogicalPlan plan) {
        List<LogicalPlan> all = new ArrayList<>();
        collect(plan, all, false);
        return all;
    }

    /** Every node of the plan, parents first: children, subquery plans and the plan a view command holds. */
    public static List<LogicalPlan> allNodes(LogicalPlan plan) {
        List<LogicalPlan> all = new ArrayList<>();
        collect(plan, all, true);
        return all;
    }

    private static void collect(LogicalPlan plan, List<LogicalPlan> all, boolean hidden) {
        all.add(plan);
        List<LogicalPlan> next = new ArrayList<>(children(plan));
        if (hidden) {
            next.addAll(CollectionConverters.asJava(plan.subqueries()));
            for (String method : new String[] {"plan", "query"}) {
                call(plan, method).filter(LogicalPlan.class::isInstance).map(LogicalPlan.class::cast)
                        .filter(inner -> next.stream().noneMatch(child -> child == inner))
                        .ifPresent(next::add);
            }
        }
        for (LogicalPlan child : next) {
            collect(child, all, hidden);
        }
    }

    public static String simpleName(Object node) {
        String name = node.getClass().getSimpleName();
        return name.endsWith("$") ? name.substring(0, name.length() - 1) : name;
    }

    /** The result of the public no-argument method {@code name} of {@code target}, when it has one. */
    public static Optional<Object> call(Object target, String name) {
        try {
            Method method = target.getClass().getMethod(name);
            Object value = method.invoke(target);
            if (value instanceof scala.Option<?> option) {
                return option.isDefined() ? Optional.ofNullable(option.get()) : Optional.empty();
            }
            return Optional.ofNullable(value);
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
