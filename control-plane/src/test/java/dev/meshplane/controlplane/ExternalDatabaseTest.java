package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.appmesh.AppMeshClient;

/** With the usual Spring datasource settings the server uses that PostgreSQL and starts none of its own. */
class ExternalDatabaseTest {

    @TempDir
    Path workDir;

    @Test
    void usesTheConfiguredDatabase() throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().start()) {
            Path unusedEmbeddedDir = workDir.resolve("embedded");
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                    "--server.port=0", "--meshplane.xds.port=0",
                    "--spring.datasource.url=" + external.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres",
                    "--meshplane.security.authentication=disabled", // development mode, explicitly
                    "--meshplane.database.embedded.data-dir=" + unusedEmbeddedDir);
                    AppMeshClient client = ServerTest.appMeshClient(
                            ((WebServerApplicationContext) context).getWebServer().getPort(), "AKID", "secret")) {
                client.createMesh(r -> r.meshName("on-external-db"));
            }
            assertThat(Files.exists(unusedEmbeddedDir)).as("no embedded PostgreSQL was started").isFalse();
            try (Connection connection = external.getPostgresDatabase().getConnection();
                    ResultSet rows = connection.createStatement().executeQuery(
                            "select name, version from resource where kind = 'MESH'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("name")).isEqualTo("on-external-db");
                assertThat(rows.getLong("version")).isEqualTo(1L);
            }
        }
    }
}
