package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.BadRequestException;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Meshplane's own CA lives outside the meshes' namespace: no mesh can be called after it, no mesh's
 * CA operation reaches it, and the Envoy bootstrap accepts only a server certificate that names the
 * host it dials, so a certificate from a mesh's CA (or any other the xDS CA signed) is refused.
 */
class ServerIdentityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private static HttpResponse<String> send(HttpClient client, String method, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServersCaIsNoMeshsAndBootstrapsCheckTheServersName() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + work.resolve("db"),
                "--meshplane.security.key-file=" + work.resolve("kek"), "--meshplane.xds.tls.built-in=true")) {
            int http = ((WebServerApplicationContext) context).getWebServer().getPort();
            int xds = context.getBean(XdsServer.class).port();
            String base = "http://localhost:" + http;
            HttpClient client = HttpClient.newHttpClient();
            String xdsCa = send(client, "GET", base + "/v1/xds/ca").body();
            try (AppMeshClient appMesh = ServerTest.appMeshClient(http, "AKID", "secret")) {
                // the attack: create the mesh the server's CA was stored under, then act as its admin
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName("_meshplane")))
                        .isInstanceOf(BadRequestException.class).hasMessageContaining("meshName:");
                appMesh.createMesh(r -> r.meshName("m"));
                appMesh.createVirtualNode(r -> r.meshName("m").virtualNodeName("app").spec(VirtualNodeSpec.builder().build()));
            }
            assertThat(send(client, "GET", base + "/v1/meshes/_meshplane/ca").statusCode()).isEqualTo(404);
            assertThat(send(client, "POST", base + "/v1/meshes/_meshplane/ca/rotate").statusCode()).isEqualTo(404);
            JsonNode meshCa = JSON.readTree(send(client, "GET", base + "/v1/meshes/m/ca").body());
            assertThat(meshCa.get("trustBundlePem").asString()).isNotEqualTo(xdsCa);
            assertThat(send(client, "POST", base + "/v1/meshes/m/ca/rotate").statusCode()).isEqualTo(200);
            assertThat(send(client, "GET", base + "/v1/xds/ca").body()).as("a mesh's rotation leaves the server's CA").isEqualTo(xdsCa);

            JsonNode envoy = JSON.readTree(send(client, "GET", base + "/v1/meshes/m/virtualNodes/app/bootstrap").body());
            JsonNode tls = envoy.at("/static_resources/clusters/0/transport_socket/typed_config");
            assertThat(tls.at("/sni").asString()).isEqualTo("localhost");
            JsonNode validation = tls.at("/common_tls_context/validation_context");
            assertThat(validation.at("/trusted_ca/inline_bytes").isMissingNode()).isFalse();
            assertThat(validation.get("match_typed_subject_alt_names").toString())
                    .isEqualTo("[{\"san_type\":\"DNS\",\"matcher\":{\"exact\":\"localhost\"}}]");

            Path trust = Files.writeString(work.resolve("xds-ca.pem"), xdsCa);
            DiscoveryRequest cds = DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/m/virtualNode/app"))
                    .setTypeUrl(AdsStream.CDS).build();
            try (AdsStream named = new AdsStream(NettyChannelBuilder.forAddress("localhost", xds)
                    .sslContext(GrpcSslContexts.forClient().trustManager(trust.toFile()).build()).build())) {
                named.send(cds);
                assertThat(named.next(5000)).as("the server's certificate names localhost").isNotNull();
            }
            try (AdsStream misnamed = new AdsStream(NettyChannelBuilder.forAddress("localhost", xds)
                    .overrideAuthority("xds.elsewhere.example")
                    .sslContext(GrpcSslContexts.forClient().trustManager(trust.toFile()).build()).build())) {
                misnamed.send(cds);
                assertThat(misnamed.next(1500)).as("a trusted certificate for another name is refused").isNull();
            }

            // a server presenting a certificate from a mesh's CA (what a mesh admin can obtain) is refused
            JsonNode node = JSON.readTree(send(client, "GET", base + "/v1/meshes/m/virtualNodes/app/certificate").body());
            var impostor = NettyServerBuilder.forPort(0).sslContext(GrpcSslContexts.forServer(
                    new ByteArrayInputStream(node.get("certificateChainPem").asString().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(node.get("privateKeyPem").asString().getBytes(StandardCharsets.US_ASCII))).build())
                    .build().start();
            try (AdsStream fooled = new AdsStream(NettyChannelBuilder.forAddress("localhost", impostor.getPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(trust.toFile()).build()).build())) {
                fooled.send(cds);
                fooled.next(1500);
                assertThat(fooled.ended).isNotNull();
                assertThat(fooled.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            } finally {
                impostor.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theMigrationMovesTheServersCaOutOfTheMeshes() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .start()) {
            var dataSource = postgres.getPostgresDatabase();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("5").load().migrate();
            try (Connection c = dataSource.getConnection()) {
                for (String owner : List.of("_meshplane", "shop")) {
                    c.createStatement().execute("insert into mesh_ca (mesh_name, state, certificate_pem, private_key_encrypted,"
                            + " imported, not_after) values ('" + owner + "', 'ACTIVE', 'pem', '\\x00', false, now())");
                }
            }
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            try (Connection c = dataSource.getConnection();
                    var rows = c.createStatement().executeQuery("select mesh_name, scope from mesh_ca order by mesh_name")) {
                List<String> found = new java.util.ArrayList<>();
                while (rows.next()) {
                    found.add(rows.getString(1) + "=" + rows.getString(2));
                }
                assertThat(found).containsExactly("_meshplane=SERVER", "shop=MESH");
            }
        }
    }
}
