package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 12, example 10: SDS secret names other than Meshplane's built-in ones come from the proxy's local SDS server
 * (as App Mesh documented), not from Meshplane's ADS stream, which has nothing to answer for them.
 */
class LocalSdsSecretsTest {

    private static final Path CASE = GoldenTest.IN.resolve("sidecar-sds-secrets-local-and-built-in.json");

    @Test
    void envoyAsksItsLocalSdsServerForSecretsMeshplaneDoesNotHold() throws Exception {
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(CASE.toFile()));
        ProxyResources resources = MeshTranslator.translate(view, new ProxyId("shop", ProxyId.Kind.SIDECAR, "orders-v1"));
        String yaml = GoldenTest.render(resources);
        assertThat(yaml).contains("""
                        - name: "spiffe://shop.example/orders"
                          sdsConfig:
                            apiConfigSource:
                              apiType: "GRPC"
                              grpcServices:
                              - envoyGrpc:
                                  clusterName: "static_cluster_sds_unix_socket"
                              transportApiVersion: "V3"
                            resourceApiVersion: "V3"
                """);
        assertThat(yaml).contains("""
                        - name: "meshplane:identity"
                          sdsConfig:
                            ads: {}
                """);
    }

    /** gRPC has no SDS: a proxyless client of such a node is reported, not sent a configuration without that TLS. */
    @Test
    void aProxylessClientOfSuchANodeIsReported() throws Exception {
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(CASE.toFile()));
        assertThatThrownBy(() -> MeshTranslator.translate(view, new ProxyId("shop", ProxyId.Kind.GRPC_CLIENT, "orders-v1")))
                .isInstanceOf(UnservableConfigurationException.class)
                .hasMessage("virtual node 'orders-v1' names SDS secrets [spiffe://shop.example, spiffe://shop.example/orders]"
                        + " that only its Envoy's local SDS server holds; gRPC clients have no SDS (gRFC A29), so a proxyless"
                        + " client of this node cannot get them");
    }
}
