package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.Backend;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * The control plane's metrics as Prometheus scrapes them, after a small scenario on a real ADS
 * stream: a proxy connects, ACKs, rejects one listener version, and receives a change; and the
 * probes Kubernetes asks.
 */
class MetricsTest extends ServerTest {

    @Autowired
    XdsServer xds;

    private String mesh;

    @Test
    void prometheusShowsPushesAcksNacksAndConvergence() throws Exception {
        mesh = uniqueName("metrics");
        appMesh.createMesh(r -> r.meshName(mesh));
        addService("a");
        addService("b");
        setBackends("a");
        String node = "mesh/" + mesh + "/virtualNode/caller";
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.CDS).build());
            DiscoveryResponse clusters = ads.next(5000);
            assertThat(clusters).isNotNull();
            ads.send(AdsStream.ack(clusters));
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.LDS).build());
            DiscoveryResponse listeners = ads.next(5000);
            assertThat(listeners).isNotNull();
            // the proxy rejects the listeners
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.LDS).setResponseNonce(listeners.getNonce())
                    .setErrorDetail(Status.newBuilder().setCode(3).setMessage("simulated rejection")).build());

            double cdsAcksBefore = value("meshplane_xds_acks_total", "type=\"cds\"");
            setBackends("a", "b"); // a change to this proxy's clusters
            DiscoveryResponse changed = ads.next(5000);
            assertThat(changed).isNotNull();
            assertThat(changed.getTypeUrl()).isEqualTo(AdsStream.CDS);
            assertThat(changed.getResourcesList()).hasSize(2);
            ads.send(AdsStream.ack(changed));

            awaitAtLeast("meshplane_xds_acks_total", "type=\"cds\"", cdsAcksBefore + 1);
            awaitAtLeast("meshplane_xds_convergence_seconds_count", "type=\"cds\"", 1);
            assertThat(value("meshplane_xds_responses_total", "type=\"cds\"")).isGreaterThanOrEqualTo(2);
            assertThat(value("meshplane_xds_responses_total", "type=\"lds\"")).isGreaterThanOrEqualTo(1);
            assertThat(value("meshplane_xds_nacks_total", "type=\"lds\"")).isGreaterThanOrEqualTo(1);
            assertThat(value("meshplane_xds_proxies", "mesh=\"" + mesh + "\"", "kind=\"sidecar\"")).isEqualTo(1);
            assertThat(value("meshplane_xds_translation_seconds_count", "mesh=\"" + mesh + "\"")).isGreaterThanOrEqualTo(1);
            assertThat(value("meshplane_store_notification_lag_seconds_count", "channel=\"mesh_changed\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape()).contains("meshplane_xds_convergence_seconds_bucket{",
                    "spring_data_repository_invocations_seconds_count{", "http_server_requests_seconds_count{");
            assertThat(value("meshplane_store_writes_seconds_count", "operation=\"update\"", "kind=\"virtual_node\"",
                    "outcome=\"success\"")).isGreaterThanOrEqualTo(1);
        }
        awaitAtLeast("meshplane_leader", "application=", 1); // the only replica becomes leader
        long deadline = System.currentTimeMillis() + 10_000;
        while (value("meshplane_xds_proxies", "mesh=\"" + mesh + "\"") > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(value("meshplane_xds_proxies", "mesh=\"" + mesh + "\"", "kind=\"sidecar\"")).as("after the stream closed").isZero();
    }

    @Test
    void livenessAndReadinessAnswerForKubernetes() throws Exception {
        HttpResponse<String> ready = send("GET", "/actuator/health/readiness", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> live = send("GET", "/actuator/health/liveness", null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
    }

    private void addService(String service) {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(service).spec(VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.dns(n -> n.hostname(service + ".local"))).build()));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName(service + ".local")
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName(service)))));
    }

    private void setBackends(String... services) {
        VirtualNodeSpec spec = VirtualNodeSpec.builder().backends(Arrays.stream(services)
                .map(s -> Backend.builder().virtualService(v -> v.virtualServiceName(s + ".local")).build()).toList()).build();
        if (services.length == 1) {
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("caller").spec(spec));
        } else {
            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("caller").spec(spec));
        }
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/prometheus", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the first sample of a metric whose labels contain every fragment; 0 when there is none. */
    private double value(String metric, String... labelFragments) throws Exception {
        Matcher sample = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(scrape());
        while (sample.find()) {
            String labels = sample.group(1);
            if (Arrays.stream(labelFragments).allMatch(labels::contains)) {
                return Double.parseDouble(sample.group(2));
            }
        }
        return 0;
    }

    private void awaitAtLeast(String metric, String label, double expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (value(metric, label) < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(value(metric, label)).as(metric + "{" + label + "}").isGreaterThanOrEqualTo(expected);
    }
}
