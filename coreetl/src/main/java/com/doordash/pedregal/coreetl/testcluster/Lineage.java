package com.doordash.pedregal.coreetl.testcluster;

import com.doordash.pedregal.coreetl.internal.Plans;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Column lineage of an analyzed plan: every attribute (by expression id) maps to the source table columns
 * ({@code catalog.database.table.column}) it is computed from. Leaves are the V2 relations (Iceberg tables);
 * an alias takes the sources of every attribute it references; a union's column takes the sources of that
 * column in every branch; any other new attribute takes the sources of every input of its node.
 * Subqueries in expressions are not followed.
 */
final class Lineage {
    private final Map<ExprId, Set<String>> sources = new HashMap<>();
    private final Set<String> tables = new TreeSet<>();
    private final List<DataSourceV2Relation> relations = new ArrayList<>();

    private Lineage() {
    }

    static Lineage of(LogicalPlan analyzed) {
        Lineage lineage = new Lineage();
        lineage.visit(analyzed);
        return lineage;
    }

    /** The source columns of {@code attribute}, sorted. */
    Set<String> sources(Attribute attribute) {
        return sources.getOrDefault(attribute.exprId(), Set.of());
    }

    /** The source columns of every attribute {@code expression} references. */
    Set<String> sourcesOf(Expression expression) {
        Set<String> all = new TreeSet<>();
        for (Attribute attribute : CollectionConverters.asJava(expression.references().toSeq())) {
            all.addAll(sources(attribute));
        }
        return all;
    }

    /** The tables read, as {@code catalog.database.table}. */
    Set<String> tables() {
        return tables;
    }

    List<DataSourceV2Relation> relations() {
        return relations;
    }

    static String tableName(DataSourceV2Relation relation) {
        if (relation.identifier().isDefined()) {
            Identifier identifier = relation.identifier().get();
            StringBuilder name = new StringBuilder();
            if (relation.catalog().isDefined()) {
                name.append(relation.catalog().get().name()).append('.');
            }
            for (String part : identifier.namespace()) {
                name.append(part).append('.');
            }
            return name.append(identifier.name()).toString();
        }
        return relation.name();
    }

    private void visit(LogicalPlan plan) {
        List<LogicalPlan> children = Plans.children(plan);
        for (LogicalPlan child : children) {
            visit(child);
        }
        if (plan instanceof DataSourceV2Relation relation) {
            String table = tableName(relation);
            tables.add(table);
            relations.add(relation);
            for (Attribute attribute : CollectionConverters.asJava(relation.output())) {
                sources.put(attribute.exprId(), new TreeSet<>(Set.of(table + "." + attribute.name())));
            }
            return;
        }
        for (Expression expression : Plans.expressions(plan)) {
            aliases(expression);
        }
        List<Attribute> output = CollectionConverters.asJava(plan.output());
        boolean union = Plans.simpleName(plan).equals("Union");
        for (int i = 0; i < output.size(); i++) {
            Attribute attribute = output.get(i);
            if (!union && sources.containsKey(attribute.exprId())) {
                continue;
            }
            Set<String> all = new TreeSet<>();
            for (LogicalPlan child : children) {
                List<Attribute> childOutput = CollectionConverters.asJava(child.output());
                if (union) {
                    if (i < childOutput.size()) {
                        all.addAll(sources(childOutput.get(i)));
                    }
                }
                else {
                    for (Attribute input : childOutput) {
                        all.addAll(sources(input));
                    }
                }
            }
            sources.put(attribute.exprId(), all);
        }
    }

    private void aliases(Expression expression) {
        if (expression instanceof Alias alias) {
            sources.putIfAbsent(alias.exprId(), sourcesOf(alias.child()));
        }
        for (Expression child : Plans.children(expression)) {
            aliases(child);
        }
    }
}
