package com.doordash.pedregal.gateway.kubernetes;

import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** The platform's client of a Kubernetes API server, and how its failures read: one place for the backend and the test cluster. */
final class KubernetesApi {
    private KubernetesApi() {
    }

    /** A client of the API server of {@code config}: its own discovery unless a master URL is set. */
    static KubernetesClient client(KubernetesConfig config) {
        Config clientConfig = new ConfigBuilder(Config.autoConfigure(null))
                .withRequestTimeout((int) config.requestTimeout().toMillis())
                .withConnectionTimeout((int) Math.min(config.requestTimeout().toMillis(), 10_000))
                // A call that cannot connect is retried twice, not for the client's default ten back-offs: the
                // runner retries what matters, and a server whose API is down says so at start within seconds.
                .withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(250)
                // HTTP/1.1: over the JDK client's HTTP/2 (h2c) a list call once stalled for good and its request
                // timeout never fired (a CI run, against the mock API server); the API server speaks both.
                .withHttp2Disable(true)
                .build();
        if (!config.masterUrl().isEmpty()) {
            clientConfig.setMasterUrl(config.masterUrl());
        }
        return new KubernetesClientBuilder().withConfig(clientConfig).build();
    }

    static String masterUrl(KubernetesClient client) {
        return client.getMasterUrl() == null ? "(none)" : client.getMasterUrl().toString();
    }

    interface Call<T> {
        T run();
    }

    /** Runs one API call; a refusal or no answer becomes UNAVAILABLE naming the API server, the call and the reason. */
    static <T> T call(KubernetesClient client, String what, Call<T> call) {
        try {
            return call.run();
        }
        catch (KubernetesClientException e) {
            String reason = e.getCode() == 403 ? "refused (403 Forbidden: the platform's service account lacks the RBAC"
                    + " permission)" : e.getCode() > 0 ? "answered " + e.getCode() : "did not answer";
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the Kubernetes API at " + masterUrl(client) + " " + reason
                    + " to: " + what + ": " + LogFiles.firstLine(e.getMessage()));
        }
    }
}
