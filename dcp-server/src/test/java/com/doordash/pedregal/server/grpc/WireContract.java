package com.doordash.pedregal.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code buf breaking}-style check of a proto file against the contract its clients hold: every service,
 * method, message, field and enum value of the contract must still be there with the same name, number, type
 * and cardinality. Additions are free; a contract field may only go if its number (and name) is reserved.
 * Names count, not only numbers: the JSON mapping and grpcurl use them, and a field keeping its number under
 * another name has usually changed its meaning. Proto3 {@code optional} on a field of the contract is allowed
 * (its wire form is the same).
 */
final class WireContract {
    private WireContract() {
    }

    /** Every incompatible change from {@code contract} to {@code platform}; empty when clients of the contract work. */
    static List<String> breakingChanges(FileDescriptor contract, FileDescriptor platform) {
        List<String> problems = new ArrayList<>();
        if (!contract.getPackage().equals(platform.getPackage())) {
            problems.add("package " + platform.getPackage() + " is not the contract's " + contract.getPackage());
            return problems;
        }
        for (ServiceDescriptor service : contract.getServices()) {
            ServiceDescriptor ours = platform.findServiceByName(service.getName());
            if (ours == null) {
                problems.add("service " + service.getFullName() + " is missing");
                continue;
            }
            for (MethodDescriptor method : service.getMethods()) {
                MethodDescriptor mine = ours.findMethodByName(method.getName());
                if (mine == null) {
                    problems.add("method " + method.getFullName() + " is missing");
                    continue;
                }
                same(problems, method.getFullName() + " request", method.getInputType().getFullName(), mine.getInputType().getFullName());
                same(problems, method.getFullName() + " response", method.getOutputType().getFullName(), mine.getOutputType().getFullName());
                same(problems, method.getFullName() + " client streaming", method.isClientStreaming(), mine.isClientStreaming());
                same(problems, method.getFullName() + " server streaming", method.isServerStreaming(), mine.isServerStreaming());
            }
        }
        for (Descriptor message : contract.getMessageTypes()) {
            compare(problems, message, platform.findMessageTypeByName(message.getName()));
        }
        for (EnumDescriptor type : contract.getEnumTypes()) {
            compare(problems, type, platform.findEnumTypeByName(type.getName()));
        }
        return problems;
    }

    private static void compare(List<String> problems, Descriptor contract, Descriptor ours) {
        if (ours == null) {
            problems.add("message " + contract.getFullName() + " is missing");
            return;
        }
        for (FieldDescriptor field : contract.getFields()) {
            String where = "field " + contract.getFullName() + "." + field.getName() + " = " + field.getNumber();
            FieldDescriptor mine = ours.findFieldByNumber(field.getNumber());
            if (mine == null) {
                boolean reserved = ours.isReservedNumber(field.getNumber()) && ours.isReservedName(field.getName());
                if (!reserved) {
                    problems.add(where + " is missing (reserve its number and name to drop it)");
                }
                continue;
            }
            same(problems, where + " name", field.getName(), mine.getName());
            same(problems, where + " type", typeName(field), typeName(mine));
            same(problems, where + " repeated", field.isRepeated(), mine.isRepeated());
            same(problems, where + " oneof", realOneof(field), realOneof(mine));
        }
        for (Descriptor nested : contract.getNestedTypes()) {
            compare(problems, nested, ours.findNestedTypeByName(nested.getName()));
        }
        for (EnumDescriptor nested : contract.getEnumTypes()) {
            compare(problems, nested, ours.findEnumTypeByName(nested.getName()));
        }
    }

    private static void compare(List<String> problems, EnumDescriptor contract, EnumDescriptor ours) {
        if (ours == null) {
            problems.add("enum " + contract.getFullName() + " is missing");
            return;
        }
        for (EnumValueDescriptor value : contract.getValues()) {
            EnumValueDescriptor mine = ours.findValueByNumber(value.getNumber());
            if (mine == null) {
                problems.add("enum value " + value.getFullName() + " = " + value.getNumber() + " is missing");
                continue;
            }
            same(problems, "enum value " + contract.getFullName() + " = " + value.getNumber() + " name", value.getName(), mine.getName());
        }
    }

    /** The field's type, with the full name of its message or enum (a map is its entry message). */
    private static String typeName(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case MESSAGE -> "message " + field.getMessageType().getFullName();
            case ENUM -> "enum " + field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The oneof a field belongs to; none for proto3 {@code optional}, whose oneof is synthetic. */
    private static String realOneof(FieldDescriptor field) {
        OneofDescriptor oneof = field.getRealContainingOneof();
        return oneof == null ? "none" : oneof.getName();
    }

    private static void same(List<String> problems, String what, Object contract, Object ours) {
        if (!Objects.equals(contract, ours)) {
            problems.add(what + ": contract has " + contract + ", platform has " + ours);
        }
    }
}
