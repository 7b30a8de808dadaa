package dev.meshplane.controlplane;

import static dev.meshplane.controlplane.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeData;

/** Data written before a restart is there after it, on the same embedded data directory. */
class RestartTest {

    @TempDir
    Path dataDir;

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(MeshplaneApplication.class)
                .run("--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + dataDir);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void dataSurvivesARestart() {
        VirtualNodeData written;
        try (ConfigurableApplicationContext first = start(dataDir);
                AppMeshClient client = ServerTest.appMeshClient(port(first), "AKID", "secret")) {
            client.createMesh(r -> r.meshName("mylearning-prod-mesh"));
            written = client.createVirtualNode(r -> r.meshName("mylearning-prod-mesh").virtualNodeName("user-service-v1")
                    .spec(node("user-service.mylearning.local"))).virtualNode();
            client.updateVirtualNode(r -> r.meshName("mylearning-prod-mesh").virtualNodeName("user-service-v1")
                    .spec(node("user-service-v1.mylearning.local")));
        }
        assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).as("PostgreSQL stopped with the server").isFalse();

        try (ConfigurableApplicationContext second = start(dataDir);
                AppMeshClient client = ServerTest.appMeshClient(port(second), "AKID", "secret")) {
            VirtualNodeData read = client.describeVirtualNode(r -> r.meshName("mylearning-prod-mesh")
                    .virtualNodeName("user-service-v1")).virtualNode();
            assertThat(read.metadata().uid()).isEqualTo(written.metadata().uid());
            assertThat(read.metadata().createdAt()).isEqualTo(written.metadata().createdAt());
            assertThat(read.metadata().version()).isEqualTo(2L);
            assertThat(read.spec()).isEqualTo(node("user-service-v1.mylearning.local"));
        }
    }

    @Test
    void aPostgresLeftByAKilledServerIsStoppedAtTheNextStart() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanPostgres.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY")) {
                // PostgreSQL's start-up log
            }
            assertThat(line).as("the child JVM started PostgreSQL").startsWith("READY");
        }
        jvm.destroyForcibly().waitFor();
        long orphanPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("the orphan runs on").hasValue(true);

        try (ConfigurableApplicationContext context = start(dataDir);
                AppMeshClient client = ServerTest.appMeshClient(port(context), "AKID", "secret")) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            client.createMesh(r -> r.meshName("after-crash"));
            assertThat(client.describeMesh(r -> r.meshName("after-crash")).mesh().metadata().version()).isEqualTo(1L);
        } finally {
            ProcessHandle.of(orphanPid).ifPresent(ProcessHandle::destroy);
        }
    }
}
