package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * Every node id the App Mesh Envoy image's agent gives Envoy (aws/amazon-ecs-service-connect-agent,
 * agent/envoy_bootstrap/envoy_bootstrap.go getNodeId: APPMESH_RESOURCE_ARN, APPMESH_RESOURCE_NAME or
 * APPMESH_VIRTUAL_NODE_NAME as written) and the Kubernetes injector writes (mesh/<mesh>@<owner>/...,
 * aws-app-mesh-controller-for-k8s pkg/inject/envoy.go), over a real ADS stream: each names the same
 * node and gets its configuration; a region, partition or owner account that is not this server's is
 * refused with INVALID_ARGUMENT naming the setting, and the stream gets nothing; so is an id longer than any
 * id can be, shown shortened.
 */
class NodeIdFormsTest extends ServerTest {

    /** This server's ARN region and mesh owner: ServerTest's defaults (meshplane.appmesh.region, account-id). */
    private static final String REGION = "us-east-1";
    private static final String OWNER = "123456789012";

    @Autowired
    XdsServer xds;

    private String meshWithNodeAndGateway() {
        String mesh = uniqueName("ids");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("api").spec(VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.dns(dns -> dns.hostname("api.local"))).build()));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("edge")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8443).protocol("http")))));
        return mesh;
    }

    /** The names of the listeners and of the clusters a stream with this node id is sent, in that order. */
    private List<List<String>> served(String nodeId) throws Exception {
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(nodeId)).setTypeUrl(AdsStream.LDS).build());
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS).build());
            List<String> listeners = null;
            List<String> clusters = null;
            for (int i = 0; i < 2; i++) {
                DiscoveryResponse response = ads.next(5000);
                assertThat(response).as(nodeId + ": answered").isNotNull();
                if (response.getTypeUrl().equals(AdsStream.LDS)) {
                    listeners = response.getResourcesList().stream().map(r -> unpack(r, Listener.class).getName()).toList();
                } else {
                    clusters = response.getResourcesList().stream().map(r -> unpack(r, Cluster.class).getName()).toList();
                }
            }
            return List.of(listeners, clusters);
        }
    }

    @Test
    void everyFormTheAgentAndTheInjectorWriteNamesTheNodeOrGateway() throws Exception {
        String mesh = meshWithNodeAndGateway();
        List<String> nodeForms = List.of(
                "mesh/" + mesh + "/virtualNode/api",
                "mesh/" + mesh + "@" + OWNER + "/virtualNode/api",
                "arn:aws:appmesh:" + REGION + ":" + OWNER + ":mesh/" + mesh + "/virtualNode/api",
                "arn:aws:appmesh:" + REGION + ":" + OWNER + ":mesh/" + mesh + "@" + OWNER + "/virtualNode/api");
        for (String id : nodeForms) {
            List<List<String>> served = served(id);
            assertThat(served.get(0)).as(id).contains("lds_ingress_0.0.0.0_15000");
            assertThat(served.get(1)).as(id + ": the node's own cluster, under its mesh's name, not 'mesh@owner'")
                    .contains("cds_ingress_" + mesh + "_api_http_8080");
        }
        for (String id : List.of("mesh/" + mesh + "/virtualGateway/edge", "mesh/" + mesh + "@" + OWNER + "/virtualGateway/edge",
                "arn:aws:appmesh:" + REGION + ":" + OWNER + ":mesh/" + mesh + "/virtualGateway/edge")) {
            assertThat(served(id).get(0)).as(id + ": the gateway's listener").hasSize(1);
        }
    }

    @Test
    void anotherOwnersOrRegionsMeshIsRefusedWithInvalidArgumentNamingTheSetting() throws Exception {
        String mesh = meshWithNodeAndGateway();
        String[][] cases = {
            {"mesh/" + mesh + "@999999999999/virtualNode/api", "mesh owner 999999999999", "meshplane.appmesh.account-id"},
            {"mesh/" + mesh + "@999999999999/virtualGateway/edge", "mesh owner 999999999999", "meshplane.appmesh.account-id"},
            {"arn:aws:appmesh:" + REGION + ":999999999999:mesh/" + mesh + "/virtualNode/api", "account 999999999999",
                "meshplane.appmesh.account-id"},
            {"arn:aws:appmesh:eu-west-1:" + OWNER + ":mesh/" + mesh + "/virtualNode/api", "region eu-west-1",
                "meshplane.appmesh.region"},
            // us-east-1 is a region of partition aws: these name another App Mesh (other partitions' ARNs: ProxyIdTest)
            {"arn:aws-cn:appmesh:" + REGION + ":" + OWNER + ":mesh/" + mesh + "/virtualNode/api", "partition aws-cn",
                "meshplane.appmesh.region"},
            {"arn:aws-us-gov:appmesh:" + REGION + ":" + OWNER + ":mesh/" + mesh + "/virtualGateway/edge",
                "partition aws-us-gov", "meshplane.appmesh.region"},
        };
        for (String[] c : cases) {
            try (AdsStream ads = new AdsStream(xds.port())) {
                ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(c[0])).setTypeUrl(AdsStream.LDS).build());
                assertThat(ads.next(1000)).as(c[0]).isNull();
                assertThat(ads.awaitEnd(5000)).as(c[0] + ": closed").isNotNull();
                assertThat(ads.ended.getCode()).as(c[0]).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                assertThat(ads.ended.getDescription()).as(c[0]).contains(c[1], c[2]);
            }
        }
        assertThat(send("GET", "/v1/proxies", null).body()).doesNotContain("999999999999", "eu-west-1");
    }

    @Test
    void anIdLongerThanAnyIdCanBeIsRefusedAndShownShortened() throws Exception {
        // a 1 MB mesh name was taken as a proxy and written whole to the log, and to /v1/proxies, for every stream
        String id = "mesh/" + "m".repeat(1_000_000) + "/virtualNode/api";
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(id)).setTypeUrl(AdsStream.LDS).build());
            assertThat(ads.awaitEnd(5000)).as("closed").isNotNull();
            assertThat(ads.ended.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            assertThat(ads.ended.getDescription()).startsWith("node.id 'mesh/mmm").contains("... (1000021 characters)' must be")
                    .hasSizeLessThan(1000);
        }
        assertThat(send("GET", "/v1/proxies", null).body()).doesNotContain("m".repeat(1000));
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
