package com.doordash.pedregal.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.dcp.spark.v1.DcpSpark;
import com.doordash.pedregal.runner.grpc.v1.SparkRunnerProto;
import com.doordash.pedregal.server.grpc.v1.DcpSparkProto;
import com.doordash.spark.runner.v1.SparkRunner;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The platform's protos against the seed prototype's ({@code src/test/resources/prototype}): stubs generated from
 * the prototype's files must keep working, so no field of theirs may change number, name, type or cardinality.
 */
final class DescriptorCompatibilityTest {
    @Test
    void sparkRunnerProtoKeepsEveryNumberNameAndTypeOfThePrototypes() {
        assertThat(WireContract.breakingChanges(SparkRunner.getDescriptor(), SparkRunnerProto.getDescriptor())).isEmpty();
    }

    @Test
    void dcpSparkProtoKeepsEveryNumberNameAndTypeOfThePrototypes() {
        assertThat(WireContract.breakingChanges(DcpSpark.getDescriptor(), DcpSparkProto.getDescriptor())).isEmpty();
    }

    @Test
    void renumberedFieldIsABreakingChange() throws DescriptorValidationException {
        FileDescriptor renumbered = edited(DcpSparkProto.getDescriptor(), "ExecutorConfig",
                field -> field.getName().equals("cores") ? field.toBuilder().setNumber(20).build() : field);

        assertThat(WireContract.breakingChanges(DcpSpark.getDescriptor(), renumbered)).containsExactly(
                "field dcp.spark.v1.ExecutorConfig.cores = 2 is missing (reserve its number and name to drop it)");
    }

    @Test
    void fieldWhoseTypeChangesUnderItsNumberIsABreakingChange() throws DescriptorValidationException {
        FileDescriptor retyped = edited(DcpSparkProto.getDescriptor(), "JobMetrics",
                field -> field.getName().equals("executor_cpu_time_ms")
                        ? field.toBuilder().setType(FieldDescriptorProto.Type.TYPE_INT64).build()
                        : field);

        assertThat(WireContract.breakingChanges(DcpSpark.getDescriptor(), retyped)).containsExactly(
                "field dcp.spark.v1.JobMetrics.executor_cpu_time_ms = 7 type: contract has double, platform has int64");
    }

    @Test
    void numberReusedForAnotherFieldIsABreakingChange() throws DescriptorValidationException {
        // The platform's first Execution had job_name at 3, where the prototype has owner.
        FileDescriptor reused = edited(SparkRunnerProto.getDescriptor(), "Execution",
                field -> switch (field.getName()) {
                    case "owner" -> field.toBuilder().setNumber(3).setName("job_name").setJsonName("jobName").build();
                    case "job_name" -> field.toBuilder().setNumber(30).setName("owner").setJsonName("owner").build();
                    default -> field;
                });

        assertThat(WireContract.breakingChanges(SparkRunner.getDescriptor(), reused)).containsExactly(
                "field spark.runner.v1.Execution.owner = 3 name: contract has owner, platform has job_name");
    }

    @Test
    void droppedFieldIsFineOnlyWhenItsNumberAndNameAreReserved() throws DescriptorValidationException {
        FileDescriptor dropped = edited(DcpSparkProto.getDescriptor(), "CancelJobRequest", field -> null);
        FileDescriptor reserved = withMessage(DcpSparkProto.getDescriptor(), "CancelJobRequest", message -> message.toBuilder()
                .clearField()
                .addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(1).setEnd(3))
                .addReservedName("job_id").addReservedName("reason")
                .build());

        assertThat(WireContract.breakingChanges(DcpSpark.getDescriptor(), dropped)).containsExactly(
                "field dcp.spark.v1.CancelJobRequest.job_id = 1 is missing (reserve its number and name to drop it)",
                "field dcp.spark.v1.CancelJobRequest.reason = 2 is missing (reserve its number and name to drop it)");
        assertThat(WireContract.breakingChanges(DcpSpark.getDescriptor(), reserved)).isEmpty();
    }

    /** {@code file} with each field of its top-level message {@code message} replaced (null: removed). */
    private static FileDescriptor edited(FileDescriptor file, String message, UnaryOperator<FieldDescriptorProto> edit)
            throws DescriptorValidationException {
        return withMessage(file, message, proto -> {
            DescriptorProto.Builder builder = proto.toBuilder().clearField();
            proto.getFieldList().stream().map(edit).filter(java.util.Objects::nonNull).forEach(builder::addField);
            return builder.build();
        });
    }

    private static FileDescriptor withMessage(FileDescriptor file, String message, UnaryOperator<DescriptorProto> edit)
            throws DescriptorValidationException {
        FileDescriptorProto.Builder proto = file.toProto().toBuilder();
        for (int i = 0; i < proto.getMessageTypeCount(); i++) {
            if (proto.getMessageType(i).getName().equals(message)) {
                proto.setMessageType(i, edit.apply(proto.getMessageType(i)));
            }
        }
        return FileDescriptor.buildFrom(proto.build(), file.getDependencies().toArray(new FileDescriptor[0]));
    }
}
