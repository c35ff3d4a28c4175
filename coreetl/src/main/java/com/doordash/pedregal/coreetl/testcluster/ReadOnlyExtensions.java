package com.doordash.pedregal.coreetl.testcluster;

import com.doordash.pedregal.coreetl.internal.CheckingParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Tuple3;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * The Spark SQL extensions of the shared, read-only test cluster. Configure them beside Iceberg's:
 * <pre>
 * spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,com.doordash.pedregal.coreetl.testcluster.ReadOnlyExtensions
 * </pre>
 *
 * <ul>
 *   <li>A check rule refuses, at analysis time, every plan that writes or changes anything outside the session
 *       (see {@link ReadOnlyGuard} for the allowlist), with a {@link ReadOnlyViolationException} such as
 *       {@code the test cluster is read-only: INSERT INTO pedregal.derived.orders is not allowed (writes happen in
 *       'run', in a playground)}. Reads and temporary views stay allowed.</li>
 *   <li>A parser wrapper refuses {@code CALL} at parse time, because Spark 4.0 runs procedures during analysis,
 *       before any check rule.</li>
 *   <li>The table function {@code dcp_analyze(spec_json [, options_json])} returns one row with one STRING column
 *       {@code report}: the JSON report of {@link SpecAnalyzer#analyze}.</li>
 * </ul>
 *
 * <h2>Passing the JSON arguments</h2>
 * Best, with Spark Connect: named parameters, {@code spark.sql("SELECT report FROM dcp_analyze(:spec, :options)",
 * Map.of("spec", specJson, "options", optionsJson))}: no quoting at all. When the JSON must be inlined in the SQL
 * text, either
 * <ul>
 *   <li>write it as a single-quoted literal, escaping every backslash as {@code \\} FIRST and then every single quote
 *       as {@code \'} (Spark string literals interpret backslash escapes; {@code ''} is NOT an escaped quote in
 *       Spark, it concatenates two literals); or</li>
 *   <li>base64 it (UTF-8) and pass {@code 'base64:<text>'}: only {@code [A-Za-z0-9+/=]} appears in the SQL, so
 *       nothing needs escaping. A BINARY argument (for example {@code unbase64('...')}) is read as UTF-8 too.</li>
 * </ul>
 */
public final class ReadOnlyExtensions implements Function1<SparkSessionExtensions, BoxedUnit> {
    /** The name of the table function. */
    public static final String ANALYZE_FUNCTION = "dcp_analyze";
    /** The prefix that marks a base64 (UTF-8) argument of {@value #ANALYZE_FUNCTION}. */
    public static final String BASE64_PREFIX = "base64:";

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectCheckRule(session -> plan -> {
            ReadOnlyGuard.check(plan);
            return BoxedUnit.UNIT;
        });
        extensions.injectParser((session, delegate) -> CheckingParser.wrap(delegate, ReadOnlyGuard::checkParsed));
        Function1<scala.collection.immutable.Seq<Expression>, LogicalPlan> builder = ReadOnlyExtensions::analyzeFunction;
        extensions.injectTableFunction(new Tuple3<>(
                new FunctionIdentifier(ANALYZE_FUNCTION),
                new ExpressionInfo(ReadOnlyExtensions.class.getName(), ANALYZE_FUNCTION),
                builder));
        return BoxedUnit.UNIT;
    }

    /** Builds the plan of {@code dcp_analyze(spec [, options])}: runs the analyzer now, on the driver. */
    private static LogicalPlan analyzeFunction(scala.collection.immutable.Seq<Expression> arguments) {
        List<Expression> args = new ArrayList<>(CollectionConverters.asJava(arguments));
        if (args.isEmpty() || args.size() > 2) {
            throw new IllegalArgumentException(ANALYZE_FUNCTION + " takes (spec_json [, options_json]); got "
                    + args.size() + " arguments");
        }
        String spec = stringArgument(args.get(0), "spec_json");
        String options = args.size() == 2 ? stringArgument(args.get(1), "options_json") : null;
        SparkSession spark = SparkSession.active();
        String report = SpecAnalyzer.analyze(spark, spec, options);
        StructType schema = new StructType().add("report", DataTypes.StringType, false);
        List<Row> rows = List.of(RowFactory.create(report));
        return spark.createDataFrame(rows, schema).queryExecution().analyzed();
    }

    private static String stringArgument(Expression argument, String name) {
        if (!argument.foldable()) {
            throw new IllegalArgumentException(ANALYZE_FUNCTION + ": " + name + " must be a constant string");
        }
        Object value = argument.eval(null);
        if (value == null) {
            return null;
        }
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        if (text.startsWith(BASE64_PREFIX)) {
            text = new String(Base64.getMimeDecoder().decode(text.substring(BASE64_PREFIX.length())), StandardCharsets.UTF_8);
        }
        return text;
    }
}
