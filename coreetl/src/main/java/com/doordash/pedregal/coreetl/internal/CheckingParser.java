package com.doordash.pedregal.coreetl.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/** A Spark SQL parser that delegates everything and hands every parsed plan to a check (not an API: for coreetl only). */
public final class CheckingParser {
    private CheckingParser() {
    }

    /**
     * {@code delegate}, with {@code check} called on every plan it parses before the plan is returned; a check
     * refuses a plan by throwing. (A proxy, so that it compiles against the parser interfaces of Spark 3.5 and 4.0.)
     */
    public static ParserInterface wrap(ParserInterface delegate, Consumer<LogicalPlan> check) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(delegate, args);
            }
            catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof LogicalPlan plan) {
                check.accept(plan);
            }
            return result;
        };
        return (ParserInterface) Proxy.newProxyInstance(CheckingParser.class.getClassLoader(),
                new Class<?>[] {ParserInterface.class}, handler);
    }
}
