package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What an apply changes reaches connected proxies as the single operations' changes do; a dry run
 * reaches none. An ADS stream for the caller's node sees its clusters follow the applied documents.
 */
class ApplyXdsTest extends ServerTest {

    @Autowired
    XdsServer xds;

    private static String node(String mesh, String name, String backend) {
        return "{\"kind\":\"VirtualNode\",\"meshName\":\"" + mesh + "\",\"virtualNodeName\":\"" + name + "\",\"spec\":{"
                + (backend == null ? "\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],"
                        + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"" + name + ".local\"}}"
                        : "\"backends\":[{\"virtualService\":{\"virtualServiceName\":\"" + backend + "\"}}]")
                + "}}";
    }

    private static String document(String mesh, String provider) {
        return "{\"resources\":[{\"kind\":\"Mesh\",\"meshName\":\"" + mesh + "\"}," + node(mesh, "caller", "svc.local")
                + "," + node(mesh, "a", null) + "," + node(mesh, "b", null) + ",{\"kind\":\"VirtualService\",\"meshName\":\""
                + mesh + "\",\"virtualServiceName\":\"svc.local\",\"spec\":{\"provider\":{\"virtualNode\":"
                + "{\"virtualNodeName\":\"" + provider + "\"}}}}]}";
    }

    private static List<String> names(DiscoveryResponse response) throws Exception {
        List<String> names = new ArrayList<>();
        for (var resource : response.getResourcesList()) {
            names.add(resource.unpack(Cluster.class).getName());
        }
        return names;
    }

    @Test
    void anApplyReachesTheProxiesAndADryRunDoesNot() throws Exception {
        String mesh = uniqueName("apply-ads");
        HttpResponse<String> created = send("POST", "/v1/apply", document(mesh, "a"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/caller"))
                    .setTypeUrl(AdsStream.CDS).build());
            DiscoveryResponse first = ads.next(5000);
            assertThat(first).isNotNull();
            assertThat(names(first)).contains("cds_egress_" + mesh + "_a_http_8080")
                    .doesNotContain("cds_egress_" + mesh + "_b_http_8080");
            ads.send(AdsStream.ack(first));

            HttpResponse<String> dryRun = send("POST", "/v1/apply?dryRun=true", document(mesh, "b"));
            assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
            assertThat(ads.next(1500)).as("a dry run pushes nothing").isNull();

            HttpResponse<String> applied = send("POST", "/v1/apply", document(mesh, "b"));
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
            DiscoveryResponse next = ads.next(5000);
            assertThat(next).as("the applied change is pushed").isNotNull();
            assertThat(names(next)).contains("cds_egress_" + mesh + "_b_http_8080")
                    .doesNotContain("cds_egress_" + mesh + "_a_http_8080");
        }
    }
}
