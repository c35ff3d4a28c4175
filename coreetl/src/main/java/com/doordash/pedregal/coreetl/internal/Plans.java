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
        collect(plan, all);
        return all;
    }

    private static void collect(LogicalPlan plan, List<LogicalPlan> all) {
        all.add(plan);
        for (LogicalPlan child : children(plan)) {
            collect(child, all);
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
