package com.doordash.pedregal.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.UserContext;
import org.junit.jupiter.api.Test;

/** Checked with Spark Connect's own generated classes (shaded in its JVM client). */
final class UserContextsTest {
    private static final String SESSION = "00112233-4455-6677-8899-aabbccddeeff";

    @Test
    void userIdIsReplacedAndEverythingElseKept() throws Exception {
        ExecutePlanRequest request = ExecutePlanRequest.newBuilder()
                .setSessionId(SESSION)
                .setUserContext(UserContext.newBuilder().setUserId("bob").setUserName("Bob"))
                .setPlan(Plan.newBuilder().setRoot(Relation.newBuilder().setSql(SQL.newBuilder().setQuery("SELECT 1"))))
                .setClientType("test")
                .setOperationId("11111111-2222-3333-4444-555555555555")
                .build();

        byte[] rewritten = UserContexts.withUserId(request.toByteArray(), 2, "alice@doordash.com");

        ExecutePlanRequest parsed = ExecutePlanRequest.parseFrom(rewritten);
        assertThat(parsed.getUserContext().getUserId()).isEqualTo("alice@doordash.com");
        assertThat(parsed.toBuilder().setUserContext(parsed.getUserContext().toBuilder().setUserId("bob")).build())
                .isEqualTo(request);
    }

    @Test
    void fieldsOutsideTheUserContextStayByteIdentical() throws Exception {
        ConfigRequest request = ConfigRequest.newBuilder()
                .setSessionId(SESSION)
                .setUserContext(UserContext.newBuilder().setUserId("alice@doordash.com"))
                .setOperation(ConfigRequest.Operation.newBuilder().setGetAll(ConfigRequest.GetAll.getDefaultInstance()))
                .build();

        assertThat(UserContexts.withUserId(request.toByteArray(), 2, "alice@doordash.com")).isEqualTo(request.toByteArray());
    }

    @Test
    void requestWithoutUserContextGetsTheCallersUserId() throws Exception {
        ConfigRequest request = ConfigRequest.newBuilder().setSessionId(SESSION).build();

        ConfigRequest parsed = ConfigRequest.parseFrom(UserContexts.withUserId(request.toByteArray(), 2, "alice"));

        assertThat(parsed.getUserContext().getUserId()).isEqualTo("alice");
        assertThat(parsed.getSessionId()).isEqualTo(SESSION);
    }

    @Test
    void everyRepeatedUserContextAndUserIdIsReplaced() throws Exception {
        // Protobuf merges repeated occurrences of a message field and keeps the last user_id: none may survive.
        byte[] first = ConfigRequest.newBuilder().setSessionId(SESSION)
                .setUserContext(UserContext.newBuilder().setUserId("bob")).build().toByteArray();
        byte[] second = ConfigRequest.newBuilder()
                .setUserContext(UserContext.newBuilder().setUserId("carol").setUserName("Carol")).build().toByteArray();
        byte[] request = new byte[first.length + second.length];
        System.arraycopy(first, 0, request, 0, first.length);
        System.arraycopy(second, 0, request, first.length, second.length);

        ConfigRequest parsed = ConfigRequest.parseFrom(UserContexts.withUserId(request, 2, "alice"));

        assertThat(parsed.getUserContext().getUserId()).isEqualTo("alice");
        assertThat(parsed.getUserContext().getUserName()).isEqualTo("Carol");
    }

    @Test
    void malformedRequestIsRejected() {
        assertThatThrownBy(() -> UserContexts.withUserId(new byte[] {0x0a, 0x7f, 0x01}, 2, "alice"))
                .isInstanceOf(InvalidProtocolBufferException.class);
        // user_context (field 2) as a varint instead of a message
        assertThatThrownBy(() -> UserContexts.withUserId(new byte[] {0x10, 0x01}, 2, "alice"))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("user_context is not a message");
    }

    @Test
    void onlySparkConnectServiceMethodsAreForwarded() {
        assertThat(UserContexts.userContextField("spark.connect.SparkConnectService/ExecutePlan")).contains(2);
        assertThat(UserContexts.userContextField("spark.connect.SparkConnectService/FetchErrorDetails")).contains(2);
        assertThat(UserContexts.userContextField("spark.connect.SparkConnectService/Unknown")).isEmpty();
        assertThat(UserContexts.userContextField("grpc.health.v1.Health/Check")).isEmpty();
    }
}
