package com.doordash.pedregal.gateway.connect;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the {@code user_context.user_id} of Spark Connect requests, without Spark Connect's generated classes.
 *
 * <p>Spark Connect keys a session by (user id, session id), and takes the user id from the request itself. The
 * proxy replaces it with the authenticated user's, so that nobody reaches another user's session. Every other byte
 * of the request is kept as it came.
 */
final class UserContexts {
    /** The service whose methods the proxy forwards. */
    static final String SERVICE = "spark.connect.SparkConnectService";

    /**
     * The field number of {@code UserContext user_context} in the request message of each method of Spark Connect
     * 4.0's {@code SparkConnectService} (spark/connect/base.proto). A method not listed is not forwarded: its
     * request could carry the user id elsewhere.
     */
    private static final Map<String, Integer> USER_CONTEXT_FIELD = Map.of(
            "ExecutePlan", 2,
            "AnalyzePlan", 2,
            "Config", 2,
            "AddArtifacts", 2,
            "ArtifactStatus", 2,
            "Interrupt", 2,
            "ReattachExecute", 2,
            "ReleaseExecute", 2,
            "ReleaseSession", 2,
            "FetchErrorDetails", 2);
    /** {@code UserContext.user_id}. */
    private static final int USER_ID_FIELD = 1;

    private UserContexts() {
    }

    /** The user-context field of the request of {@code fullMethodName}, when the proxy forwards that method. */
    static Optional<Integer> userContextField(String fullMethodName) {
        String prefix = SERVICE + "/";
        if (fullMethodName == null || !fullMethodName.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.ofNullable(USER_CONTEXT_FIELD.get(fullMethodName.substring(prefix.length())));
    }

    /**
     * {@code request} with {@code user_id} set to {@code userId} in every occurrence of its user context (field
     * {@code userContextField}), or with a user context of that user id appended when it has none. Protobuf merges
     * repeated occurrences of a message field, so each occurrence gets the user id.
     *
     * @throws InvalidProtocolBufferException when {@code request} is not a protobuf message
     */
    static byte[] withUserId(byte[] request, int userContextField, String userId) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(request);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(request.length + userId.length() + 8);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        boolean seen = false;
        try {
            while (true) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (WireFormat.getTagFieldNumber(tag) == userContextField) {
                    if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        throw new InvalidProtocolBufferException("user_context is not a message");
                    }
                    out.writeByteArray(userContextField, userContextWithUserId(in.readByteArray(), userId));
                    seen = true;
                }
                else {
                    in.skipField(tag);
                    out.writeRawBytes(request, start, in.getTotalBytesRead() - start);
                }
            }
            if (!seen) {
                out.writeByteArray(userContextField, userContextWithUserId(new byte[0], userId));
            }
            out.flush();
        }
        catch (InvalidProtocolBufferException e) {
            throw e;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** A {@code UserContext} with every {@code user_id} dropped and {@code userId} appended; other fields kept. */
    private static byte[] userContextWithUserId(byte[] userContext, String userId) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(userContext);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(userContext.length + userId.length() + 4);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        while (true) {
            int start = in.getTotalBytesRead();
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            in.skipField(tag);
            if (WireFormat.getTagFieldNumber(tag) != USER_ID_FIELD) {
                out.writeRawBytes(userContext, start, in.getTotalBytesRead() - start);
            }
        }
        out.writeString(USER_ID_FIELD, userId);
        out.flush();
        return bytes.toByteArray();
    }
}
