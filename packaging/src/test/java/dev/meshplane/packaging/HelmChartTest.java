package dev.meshplane.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart, linted and rendered by Helm itself (helm-java runs Helm's Go library), with
 * assertions on the rendered manifests: what operators get by default and with each option.
 */
class HelmChartTest {

    private static final Path CHART = Repo.file("helm/meshplane");

    private static Helm helm() {
        return new Helm(CHART);
    }

    /** Renders the chart with the given values and parses every manifest. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(Map<String, Object> values) {
        var template = helm().template().withName("mp").withNamespace("mesh");
        values.forEach(template::set);
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(template.call())) {
            if (document != null) {
                manifests.add((Map<String, Object>) document);
            }
        }
        return manifests;
    }

    private static Map<String, Object> only(List<Map<String, Object>> manifests, String kind) {
        List<Map<String, Object>> found = manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            current = step.matches("\\d+") ? ((List<Object>) current).get(Integer.parseInt(step))
                    : ((Map<String, Object>) current).get(step);
        }
        return (T) current;
    }

    private static Map<String, Object> env(Map<String, Object> deployment) {
        List<Map<String, Object>> env = at(deployment, "spec", "template", "spec", "containers", "0", "env");
        Map<String, Object> byName = new java.util.HashMap<>();
        env.forEach(e -> byName.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
        return byName;
    }

    @Test
    void theChartPassesHelmLintStrict() {
        LintResult result = helm().lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultsGiveTwoSpreadReplicasWithProbesResourcesAndABudget() {
        List<Map<String, Object>> manifests = render(Map.of());
        Map<String, Object> deployment = only(manifests, "Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(2);
        assertThat((String) at(deployment, "spec", "template", "spec", "affinity", "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution", "0", "podAffinityTerm", "topologyKey"))
                .isEqualTo("kubernetes.io/hostname");
        Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", "0");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "resources", "limits", "memory")).isEqualTo("2Gi");
        assertThat((Boolean) at(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Integer) at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds")).isEqualTo(45);

        Map<String, Object> env = env(deployment);
        assertThat(env.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://meshplane-postgresql:5432/meshplane");
        assertThat((String) at(env.get("SPRING_DATASOURCE_PASSWORD"), "secretKeyRef", "name")).isEqualTo("meshplane-database");
        assertThat(env.get("MESHPLANE_XDS_ADVERTISED_HOST")).isEqualTo("mp-meshplane-xds.mesh.svc");
        assertThat(env.get("MESHPLANE_XDS_DRAIN_WINDOW")).isEqualTo("20s");
        assertThat(env).doesNotContainKey("MESHPLANE_DATABASE_EMBEDDED_DATA_DIR");
        assertThat(env.get("MESHPLANE_SECURITY_AUTHENTICATION")).isEqualTo("enabled");
        assertThat((String) at(env.get("MESHPLANE_SECURITY_KEY_ENCRYPTION_KEY"), "secretKeyRef", "name")).isEqualTo("meshplane-security");
        assertThat((String) at(env.get("MESHPLANE_SECURITY_BOOTSTRAP_ADMIN_TOKEN"), "secretKeyRef", "key"))
                .isEqualTo("bootstrap-admin-token");

        Map<String, Object> budget = only(manifests, "PodDisruptionBudget");
        assertThat((Integer) at(budget, "spec", "minAvailable")).isEqualTo(1);
        List<Map<String, Object>> services = manifests.stream().filter(m -> "Service".equals(m.get("kind"))).toList();
        assertThat(services).extracting(s -> at(s, "metadata", "name")).containsExactlyInAnyOrder("mp-meshplane", "mp-meshplane-xds");
        assertThat(services).extracting(s -> at(s, "spec", "ports", "0", "port")).containsExactlyInAnyOrder(8080, 18000);
        assertThat(manifests).noneMatch(m -> "ServiceMonitor".equals(m.get("kind")));
        assertThat(manifests).as("the password comes from an existing Secret").noneMatch(m -> "Secret".equals(m.get("kind")));
    }

    @Test
    void aPasswordValueBecomesASecretAndOptionsRenderTheirParts() {
        List<Map<String, Object>> manifests = render(Map.of(
                "database.url", "jdbc:postgresql://db.example:5432/mesh",
                "database.existingSecret", "",
                "database.password", "s3cret",
                "serviceMonitor.enabled", "true",
                "serviceMonitor.tokenSecret.name", "meshplane-scrape",
                "serviceMonitor.tokenSecret.key", "token",
                "antiAffinity.type", "hard",
                "logging.structuredFormat", "ecs",
                "replicaCount", "3"));
        Map<String, Object> secret = only(manifests, "Secret");
        assertThat((String) at(secret, "data", "password"))
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("s3cret".getBytes()));
        Map<String, Object> deployment = only(manifests, "Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(3);
        assertThat((String) at(env(deployment).get("SPRING_DATASOURCE_PASSWORD"), "secretKeyRef", "name")).isEqualTo("mp-meshplane");
        assertThat(env(deployment).get("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isEqualTo("ecs");
        assertThat((Object) at(deployment, "spec", "template", "spec", "affinity", "podAntiAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution")).isNotNull();
        Map<String, Object> monitor = only(manifests, "ServiceMonitor");
        assertThat((String) at(monitor, "spec", "endpoints", "0", "path")).isEqualTo("/actuator/prometheus");
        assertThat((String) at(monitor, "spec", "endpoints", "0", "authorization", "credentials", "name"))
                .as("scrapes carry a token: the metrics name every mesh").isEqualTo("meshplane-scrape");
    }

    @Test
    void oneReplicaMayUseTheEmbeddedDatabaseOnAClaim() {
        List<Map<String, Object>> manifests = render(Map.of("replicaCount", "1", "database.url", "",
                "embedded.persistence.enabled", "true"));
        Map<String, Object> deployment = only(manifests, "Deployment");
        assertThat(env(deployment)).containsEntry("MESHPLANE_DATABASE_EMBEDDED_DATA_DIR", "/var/lib/meshplane/data")
                .doesNotContainKey("SPRING_DATASOURCE_URL");
        assertThat((String) at(only(manifests, "PersistentVolumeClaim"), "metadata", "name")).isEqualTo("mp-meshplane-data");
    }

    @Test
    void valuesThatCannotWorkAreRefusedWithAReason() {
        assertThatThrownBy(() -> render(Map.of("database.url", "")))
                .hasMessageContaining("replicaCount > 1 needs database.url");
        assertThatThrownBy(() -> render(Map.of("database.existingSecret", "")))
                .hasMessageContaining("give database.password or database.existingSecret");
        assertThatThrownBy(() -> render(Map.of("antiAffinity.type", "sometimes")))
                .hasMessageContaining("antiAffinity.type must be");
        assertThatThrownBy(() -> render(Map.of("security.existingSecret", "")))
                .hasMessageContaining("every replica must share the key-encryption-key");
    }

    @Test
    void everyValueIsDocumentedInValuesYamlAndTheOperationsGuide() throws Exception {
        String values = Files.readString(CHART.resolve("values.yaml"));
        String guide = Files.readString(Repo.file("docs/operations.md"));
        // every leaf key in values.yaml carries a "# --" description, and the guide names it
        Map<String, Object> tree = new Yaml().load(values);
        List<String> keys = new ArrayList<>();
        leaves("", tree, keys);
        assertThat(keys).hasSizeGreaterThan(30);
        for (String key : keys) {
            assertThat(guide).as("docs/operations.md documents " + key).contains("`" + key + "`");
        }
        // and in values.yaml, the comment right above each value starts with "# --"
        List<String> stack = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        Pattern keyLine = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):.*$");
        for (String line : values.split("\n")) {
            if (line.strip().startsWith("#")) {
                comment.add(line.strip());
                continue;
            }
            Matcher key = keyLine.matcher(line);
            if (key.matches()) {
                int indent = key.group(1).length();
                while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                    indents.remove(indents.size() - 1);
                    stack.remove(stack.size() - 1);
                }
                stack.add(key.group(2));
                indents.add(indent);
                String path = String.join(".", stack);
                if (keys.contains(path)) {
                    assertThat(comment).as("the description of " + path).isNotEmpty();
                    assertThat(comment.get(0)).as("the description of " + path).startsWith("# -- ");
                }
            }
            comment.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private static void leaves(String prefix, Map<String, Object> map, List<String> out) {
        map.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty() && !path.equals("resources")) {
                leaves(path, (Map<String, Object>) nested, out);
            } else {
                out.add(path);
            }
        });
    }
}
