package com.doordash.pedregal.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.connect.TestClusterConfig;
import com.doordash.pedregal.model.config.ConfigProperties;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests of {@code deploy/kubernetes}, validated offline against the Kubernetes API's own model (fabric8's
 * typed classes of every kind): each document must be a known kind of its {@code apiVersion}, and a field the model
 * does not know (a typo, a field of another version) fails, as the API server's strict field validation would.
 */
final class DeployManifestsTest {
    private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void everyManifestIsAKnownKindWithOnlyFieldsTheApiKnows() throws IOException {
        List<HasMetadata> resources = resources();

        assertThat(resources).extracting(HasMetadata::getKind).contains("Namespace", "ServiceAccount", "Role",
                "RoleBinding", "ConfigMap", "Secret", "Service", "StatefulSet", "Deployment");
        for (HasMetadata resource : resources) {
            assertThat(resource).as(resource.getKind() + " " + resource.getMetadata().getName())
                    .isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(unknownFields(resource, resource.getKind())).as(resource.getKind() + " "
                    + resource.getMetadata().getName()).isEmpty();
            assertThat(resource.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            if (!resource.getKind().equals("Namespace")) {
                assertThat(resource.getMetadata().getNamespace()).as(resource.getKind() + " " + resource.getMetadata().getName())
                        .isIn("pedregal-system", "spark-jobs");
            }
        }
    }

    @Test
    void workloadsSelectTheirOwnPodsAndServicesSelectAWorkload() throws IOException {
        List<HasMetadata> resources = resources();
        List<Map<String, String>> podLabels = new ArrayList<>();
        for (HasMetadata resource : resources) {
            if (resource instanceof io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
                assertSelects(deployment.getSpec().getSelector().getMatchLabels(), deployment.getSpec().getTemplate());
                podLabels.add(deployment.getSpec().getTemplate().getMetadata().getLabels());
            }
            if (resource instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet) {
                assertSelects(statefulSet.getSpec().getSelector().getMatchLabels(), statefulSet.getSpec().getTemplate());
                podLabels.add(statefulSet.getSpec().getTemplate().getMetadata().getLabels());
            }
        }
        for (HasMetadata resource : resources) {
            if (resource instanceof io.fabric8.kubernetes.api.model.Service service) {
                assertThat(podLabels).as("service " + service.getMetadata().getName())
                        .anyMatch(labels -> labels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
            }
        }
    }

    @Test
    void theServerMayTouchOnlySparkApplicationsPodsAndPodLogsInTheJobNamespace() throws IOException {
        Role role = resources().stream().filter(Role.class::isInstance).map(Role.class::cast)
                .filter(r -> r.getMetadata().getName().equals("dcp-server-jobs")).findFirst().orElseThrow();

        assertThat(role.getMetadata().getNamespace()).isEqualTo("spark-jobs");
        assertThat(role.getRules()).flatExtracting(PolicyRule::getResources)
                .containsExactlyInAnyOrder("sparkapplications", "pods", "pods/log");
        assertThat(role.getRules()).flatExtracting(PolicyRule::getVerbs).doesNotContain("*", "escalate", "bind", "impersonate");
        assertThat(resources()).noneMatch(resource -> resource.getKind().startsWith("Cluster"));
    }

    @Test
    void inItsOwnNamespaceTheServerMayTouchOnlyTheTestClustersApplicationServiceAndTokenSecret() throws IOException {
        Role role = resources().stream().filter(Role.class::isInstance).map(Role.class::cast)
                .filter(r -> r.getMetadata().getName().equals("dcp-server-test-cluster")).findFirst().orElseThrow();

        assertThat(role.getMetadata().getNamespace()).isEqualTo("pedregal-system");
        assertThat(role.getRules()).flatExtracting(PolicyRule::getResources)
                .containsOnly("sparkapplications", "services", "secrets", "pods/log");
        // Reading or changing a secret other than the token's is not allowed (creating names none: RBAC cannot).
        assertThat(role.getRules()).filteredOn(rule -> rule.getResources().contains("secrets")
                        && !rule.getVerbs().equals(List.of("create")))
                .allSatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly("dcp-test-cluster-token"));
        assertThat(role.getRules()).flatExtracting(PolicyRule::getVerbs)
                .doesNotContain("*", "watch", "deletecollection", "escalate", "bind", "impersonate");
    }

    @Test
    void theServersConfigurationHasOnlyKeysTheServerKnowsAndNoSecret() throws IOException {
        io.fabric8.kubernetes.api.model.ConfigMap config = resources().stream()
                .filter(io.fabric8.kubernetes.api.model.ConfigMap.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast).findFirst().orElseThrow();
        Properties properties = new Properties();
        properties.load(new StringReader(config.getData().get("dcp.properties")));

        Map<String, String> values = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        ConfigProperties read = new ConfigProperties(values);
        KubernetesConfig kubernetes = KubernetesConfig.from(read);
        assertThat(kubernetes.namespace()).isEqualTo("spark-jobs");
        TestClusterConfig testCluster = TestClusterConfig.from(read);
        assertThat(testCluster.backend()).isEqualTo(TestClusterConfig.Backend.KUBERNETES);
        assertThat(testCluster.kubernetes().address()).isEqualTo("dcp-test-cluster.pedregal-system.svc:15002");
        assertThat(values.keySet()).noneMatch(key -> key.contains("password") || key.contains("secret") || key.contains("token"));
    }

    @Test
    void theValidationFindsAMistypedField() {
        HasMetadata deployment = (HasMetadata) SERIALIZATION.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo, namespace: spark-jobs}
                spec:
                  replica: 2
                  selector: {matchLabels: {app: typo}}
                  template:
                    metadata: {labels: {app: typo}}
                    spec:
                      containers:
                        - name: typo
                          imagee: dcp-server:latest
                """);

        assertThat(unknownFields(deployment, "Deployment")).containsExactlyInAnyOrder("Deployment.Spec.replica",
                "Deployment.Spec.Template.Spec.Containers[0].imagee");
    }

    private static void assertSelects(Map<String, String> selector, PodTemplateSpec template) {
        assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(selector);
    }

    private static List<HasMetadata> resources() throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                Object parsed = SERIALIZATION.unmarshal(Files.readString(file));
                if (parsed instanceof KubernetesResourceList<?> list) {
                    resources.addAll(list.getItems());
                }
                else if (parsed instanceof List<?> list) {
                    list.forEach(item -> resources.add((HasMetadata) item));
                }
                else {
                    resources.add((HasMetadata) parsed);
                }
            }
        }
        return resources;
    }

    /** The fields of {@code object} and what it holds that the model did not know (kept in additional properties). */
    private static List<String> unknownFields(Object object, String path) {
        List<String> unknown = new ArrayList<>();
        walk(object, path, unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return unknown;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object object, String path, List<String> unknown, Set<Object> seen) {
        if (object == null || !seen.add(object)) {
            return;
        }
        if (object instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> walk(value, path + "." + key, unknown, seen));
            return;
        }
        if (!(object instanceof KubernetesResource) || !object.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method method : object.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = method.invoke(object);
                if (method.getName().equals("getAdditionalProperties")) {
                    ((Map<String, Object>) value).keySet().forEach(key -> unknown.add(path + "." + key));
                }
                else {
                    walk(value, path + "." + method.getName().substring(3), unknown, seen);
                }
            }
            catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
