package dev.meshplane.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, checked the way {@code docker compose config} would (references between
 * services, volumes, networks, mounted files) plus what the demo needs to work: two replicas on one
 * PostgreSQL behind one name, Envoy bootstrapped from Meshplane, the mesh written with the AWS CLI.
 * Where a compose binary exists it also runs {@code config -q}; neither this machine nor CI has one.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Repo.file("docker-compose.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws Exception {
        return new Yaml().load(Files.readString(COMPOSE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> dependencies(Map<String, Object> service) {
        Object dependsOn = service.get("depends_on");
        if (dependsOn instanceof List<?> list) {
            return (List<String>) list;
        }
        return dependsOn == null ? List.of() : ((Map<String, Object>) dependsOn).keySet();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyReferenceResolves() throws Exception {
        Map<String, Object> file = compose();
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> volumes = (Map<String, Object>) file.get("volumes");
        Map<String, Object> networks = (Map<String, Object>) file.get("networks");
        for (var entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = entry.getValue();
            assertThat(service.containsKey("image") || service.containsKey("build")).as(name + " has an image or a build").isTrue();
            assertThat(services.keySet()).as(name + " depends on services that exist").containsAll(dependencies(service));
            Object serviceNetworks = service.get("networks");
            Collection<String> used = serviceNetworks instanceof Map<?, ?> map ? (Collection<String>) map.keySet()
                    : serviceNetworks == null ? List.of() : (List<String>) serviceNetworks;
            assertThat(networks.keySet()).as(name + "'s networks are declared").containsAll(used);
            for (String mount : (List<String>) service.getOrDefault("volumes", List.of())) {
                String source = mount.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(Repo.file(source.substring(2))).as(name + " mounts " + source).exists();
                } else {
                    assertThat(volumes).as(name + " uses volume " + source).containsKey(source);
                }
            }
        }
        assertThat(services.get("meshplane-a").get("build")).isEqualTo(".");
        assertThat(Repo.file("Dockerfile")).exists();
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoReplicasShareOnePostgresqlBehindOneName() throws Exception {
        Map<String, Map<String, Object>> services = services();
        for (String replica : List.of("meshplane-a", "meshplane-b")) {
            Map<String, Object> service = services.get(replica);
            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            assertThat(env.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/meshplane");
            assertThat(env.get("MESHPLANE_XDS_ADVERTISED_HOST")).isEqualTo("meshplane");
            assertThat(env.get("MESHPLANE_SECURITY_AUTHENTICATION")).as("the demo's AWS CLI uses dummy credentials")
                    .isEqualTo("disabled");
            assertThat(java.util.Base64.getDecoder().decode((String) env.get("MESHPLANE_SECURITY_KEY_ENCRYPTION_KEY")))
                    .as("one key-encryption key shared by both replicas").hasSize(32);
            List<String> aliases = (List<String>) ((Map<String, Object>) ((Map<String, Object>) service.get("networks"))
                    .get("demo")).get("aliases");
            assertThat(aliases).contains("meshplane");
            assertThat(dependencies(service)).contains("postgres");
        }
        Map<String, Object> postgresEnv = (Map<String, Object>) services.get("postgres").get("environment");
        assertThat(postgresEnv).containsEntry("POSTGRES_DB", "meshplane").containsEntry("POSTGRES_USER", "meshplane");
    }

    @Test
    @SuppressWarnings("unchecked")
    void envoyIsBootstrappedFromMeshplaneAndTheMeshIsWrittenWithTheAwsCli() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertThat((String) services.get("frontend-envoy").get("image")).startsWith("envoyproxy/envoy:");
        assertThat(String.join(" ", (List<String>) services.get("frontend-envoy").get("command")))
                .contains("-c /bootstrap/envoy.json");
        assertThat(String.join(" ", (List<String>) services.get("frontend-bootstrap").get("command")))
                .contains("http://meshplane:8080/v1/meshes/mylearning/virtualNodes/frontend/bootstrap?directEgress=8080");
        assertThat((String) services.get("setup").get("image")).startsWith("amazon/aws-cli:");
        String setup = Files.readString(Repo.file("deploy/demo/setup.sh"));
        assertThat(setup).contains("aws appmesh --endpoint-url", "create-mesh --mesh-name mylearning",
                "--virtual-node-name frontend", "\"weight\": 90", "\"weight\": 10");
        assertThat(Files.readString(Repo.file("deploy/demo/loadgen.sh")))
                .contains("Host: user-service.mylearning.local:8080", "http://frontend-envoy:8080");
    }

    @Test
    void composeConfigAcceptsTheFileWhereComposeIsInstalled() throws Exception {
        Optional<List<String>> command = Stream.of(List.of("docker-compose"), List.of("docker", "compose"))
                .filter(ComposeFileTest::works).findFirst();
        if (command.isEmpty()) {
            // no compose here (CI has none): the checks above stand in for it
            assertThat(works(List.of("docker-compose"))).isFalse();
            return;
        }
        List<String> args = new java.util.ArrayList<>(command.get());
        args.addAll(List.of("-f", COMPOSE.toString(), "config", "-q"));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Is this compose command installed and working ({@code version} answers)? */
    private static boolean works(List<String> command) {
        if (!onPath(command.get(0))) {
            return false;
        }
        try {
            List<String> version = new java.util.ArrayList<>(command);
            version.add("version");
            Process process = new ProcessBuilder(version).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }
}
