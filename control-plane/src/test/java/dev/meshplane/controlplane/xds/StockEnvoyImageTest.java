package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;

/**
 * The stock App Mesh Envoy image, unmodified, pointed at Meshplane: its agent's bootstrap
 * (aws/amazon-ecs-service-connect-agent, agent/envoy_bootstrap/envoy_bootstrap.go
 * {@code buildRegionalAdsGrpcService}) gives Envoy one Google gRPC channel to
 * {@code APPMESH_XDS_ENDPOINT}, TLS trusting the CA bundle at /etc/pki/tls/cert.pem, and
 * {@code envoy.grpc_credentials.aws_iam} call credentials for service {@code APPMESH_SIGNING_NAME} (else
 * {@code appmesh}) in the task's region ({@code AWS_REGION}), whose keys come from
 * {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}; the node id is {@code APPMESH_RESOURCE_ARN},
 * else {@code APPMESH_RESOURCE_NAME}, else {@code APPMESH_VIRTUAL_NODE_NAME}. Here a grpc-java channel
 * is built exactly so ({@link #stockImageChannel}), signing as Envoy's plugin signs
 * ({@link EnvoyAwsIamCredentials}), with a proxy access key, against a server whose xDS port has TLS
 * from Meshplane's own CA: the node receives its configuration and its certificate, and nothing of
 * another node.
 */
@TestPropertySource(properties = {"meshplane.xds.tls.built-in=true", "meshplane.xds.advertised-host=" + StockEnvoyImageTest.HOST})
class StockEnvoyImageTest extends AuthenticatedServerTest {

    /** The name APPMESH_XDS_ENDPOINT gives: the server's certificate names it (meshplane.xds.advertised-host). */
    static final String HOST = "meshplane.internal";
    private static final String OWNER = "123456789012";

    @TempDir
    Path work;

    /**
     * The ADS channel of the agent's bootstrap, from the Envoy container's environment: target
     * {@code APPMESH_XDS_ENDPOINT} (here its name stands for this server: the channel dials localhost and
     * keeps the endpoint as its authority, as DNS would), TLS trusting {@code caBundle} (the file mounted at
     * /etc/pki/tls/cert.pem), and the aws_iam call credentials composed onto it as Envoy composes them
     * ({@code grpc::CompositeChannelCredentials}).
     */
    private ManagedChannel stockImageChannel(Map<String, String> env, Path caBundle) throws Exception {
        EnvoyAwsIamCredentials iam = new EnvoyAwsIamCredentials(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"),
                env.get("AWS_REGION"), env.getOrDefault("APPMESH_SIGNING_NAME", "appmesh"), Clock.systemUTC());
        return Grpc.newChannelBuilderForAddress("localhost", xds.port(), CompositeChannelCredentials.create(
                TlsChannelCredentials.newBuilder().trustManager(caBundle.toFile()).build(), iam))
                .overrideAuthority(env.get("APPMESH_XDS_ENDPOINT")).build();
    }

    /** The node the agent's bootstrap writes: id by its order of variables, cluster the id, App Mesh's metadata. */
    private static Node stockImageNode(Map<String, String> env) {
        String id = env.getOrDefault("APPMESH_RESOURCE_ARN", env.getOrDefault("APPMESH_RESOURCE_NAME",
                env.get("APPMESH_VIRTUAL_NODE_NAME")));
        Struct platform = Struct.newBuilder().putFields("AWS_REGION", Value.newBuilder().setStringValue(env.get("AWS_REGION")).build())
                .putFields("platformInfo", Value.newBuilder().setStringValue("AWS_ECS_FARGATE").build()).build();
        return Node.newBuilder().setId(id).setCluster(id).setUserAgentName("envoy")
                .setMetadata(Struct.newBuilder().putFields("aws.appmesh.platformInfo", Value.newBuilder().setStructValue(platform).build()))
                .build();
    }

    private Map<String, String> envoyEnvironment(String[] proxyKey, String idVariable, String id) {
        Map<String, String> env = new HashMap<>(Map.of("APPMESH_XDS_ENDPOINT", HOST + ":" + xds.port(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", proxyKey[0], "AWS_SECRET_ACCESS_KEY", proxyKey[1]));
        env.put(idVariable, id);
        return env;
    }

    @Test
    void theStockImagesChannelWithAProxyAccessKeyGetsItsNodesConfigurationAndSecretsAndNothingOfAnotherNode() throws Exception {
        String mesh = meshWithNodes();
        ok(call("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}", ADMIN));
        Path caBundle = Files.writeString(work.resolve("cert.pem"), call("GET", "/v1/xds/ca", null, ADMIN).body());
        String[] proxyKey = proxyAccessKey(mesh, "api");

        Map<String, String> byArn = envoyEnvironment(proxyKey, "APPMESH_RESOURCE_ARN",
                "arn:aws:appmesh:us-east-1:" + OWNER + ":mesh/" + mesh + "/virtualNode/api");
        try (AdsStream envoy = new AdsStream(stockImageChannel(byArn, caBundle))) {
            envoy.send(DiscoveryRequest.newBuilder().setNode(stockImageNode(byArn)).setTypeUrl(AdsStream.CDS).build());
            DiscoveryResponse clusters = envoy.next(5000);
            assertThat(clusters).as("its configuration").isNotNull();
            assertThat(clusters.getTypeUrl()).isEqualTo(AdsStream.CDS);
            envoy.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.SDS).addResourceNames("meshplane:identity").build());
            DiscoveryResponse secrets = envoy.next(5000);
            assertThat(secrets).as("its certificate and key").isNotNull();
            assertThat(secrets.getResources(0).unpack(Secret.class).getName()).isEqualTo("meshplane:identity");
            assertThat(secrets.getResources(0).unpack(Secret.class).getTlsCertificate().hasPrivateKey()).isTrue();
        }

        // the injector's spelling of the same node (APPMESH_VIRTUAL_NODE_NAME, mesh@owner): the same answer
        Map<String, String> injected = envoyEnvironment(proxyKey, "APPMESH_VIRTUAL_NODE_NAME",
                "mesh/" + mesh + "@" + OWNER + "/virtualNode/api");
        try (AdsStream envoy = new AdsStream(stockImageChannel(injected, caBundle))) {
            envoy.send(DiscoveryRequest.newBuilder().setNode(stockImageNode(injected)).setTypeUrl(AdsStream.SDS)
                    .addResourceNames("meshplane:identity").build());
            assertThat(envoy.next(5000)).as("the injector's node id, the same key").isNotNull();
        }

        // the same key as another node: nothing, neither configuration nor secrets
        Map<String, String> other = envoyEnvironment(proxyKey, "APPMESH_RESOURCE_NAME", "mesh/" + mesh + "/virtualNode/other");
        for (String type : new String[] {AdsStream.CDS, AdsStream.SDS}) {
            try (AdsStream impostor = new AdsStream(stockImageChannel(other, caBundle))) {
                impostor.send(DiscoveryRequest.newBuilder().setNode(stockImageNode(other)).setTypeUrl(type)
                        .addResourceNames(type.equals(AdsStream.SDS) ? "meshplane:identity" : "").build());
                assertThat(impostor.next(1500)).as("another node's " + type).isNull();
                assertThat(impostor.awaitEnd(5000)).isNotNull();
                assertThat(impostor.ended.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            }
        }

        // signed for a service other than the one this server is (APPMESH_SIGNING_NAME set to the preview's)
        Map<String, String> preview = new HashMap<>(byArn);
        preview.put("APPMESH_SIGNING_NAME", "appmesh-preview");
        try (AdsStream envoy = new AdsStream(stockImageChannel(preview, caBundle))) {
            envoy.send(DiscoveryRequest.newBuilder().setNode(stockImageNode(preview)).setTypeUrl(AdsStream.CDS).build());
            assertThat(envoy.next(1500)).isNull();
            assertThat(envoy.awaitEnd(5000)).isNotNull();
            assertThat(envoy.ended.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(envoy.ended.getDescription()).contains("correct service");
        }
    }

    @Test
    void theEnvoySignerHereSignsAsTheAwsSdkDoesForTheSameRequest() throws Exception {
        Instant at = Instant.parse("2026-11-30T12:34:56Z");
        EnvoyAwsIamCredentials envoy = new EnvoyAwsIamCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "us-east-1", "appmesh", Clock.fixed(at, ZoneOffset.UTC));
        for (String authority : new String[] {HOST + ":18000", HOST + ":443"}) {
            Map<String, String> signed = envoy.sign(authority, SignedRequests.ADS_METHOD);
            Map<String, String> sdk = SignedRequests.sign("POST", URI.create("https://" + authority + SignedRequests.ADS_METHOD),
                    Map.of("x-amz-content-sha256", EnvoyAwsIamCredentials.HASHED_EMPTY_STRING), null, "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "appmesh", at);
            assertThat(signed.get("authorization")).as(authority).isEqualTo(sdk.get("authorization"))
                    .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,");
            assertThat(signed.keySet()).containsExactly("x-amz-content-sha256", "x-amz-date", "authorization");
        }
    }
}
