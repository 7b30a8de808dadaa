package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;

/**
 * The console in a real browser against the running server: the seed's user-service (MyLearning's
 * 90/10 canary of user-v1 and user-v2 behind user-service.mylearning.local, {@link UserServiceMesh})
 * with a real grpc-java xDS client calling it while the page is open, and user-v2's sidecar (a raw
 * ADS stream) rejecting its clusters. The page must show the mesh's services, the client's live
 * edges with their error rates, and the NACK, with the proxy's own message. Load reports every
 * second (LoadReportTest's server), so live edges appear within seconds.
 */
@TestPropertySource(properties = "meshplane.traffic.reporting-interval=1s")
class ConsoleTest extends ServerTest {

    private static final Duration PAGE = Duration.ofSeconds(15);
    private static final Duration LIVE = Duration.ofSeconds(40);
    private static final String[] SEED_SERVICES = {"course-service", "assessment-service", "notification-service"};
    private static final String[] RECOMMENDATION_VERSIONS = {
        "recommendation-service-ml-v1_mylearning-prod", "recommendation-service-ml-v2_mylearning-prod"};
    /** Pairs of graph nodes whose drawn box, label included, overlaps another's, one per line (Cytoscape's own bounds). */
    private static final String OVERLAPPING_LABELS = """
            const cy = document.getElementById('graph')._cyreg.cy;
            const nodes = cy.nodes().filter((n) => !n.isParent());
            const overlaps = [];
            nodes.forEach((a, i) => nodes.slice(i + 1).forEach((b) => {
              const p = a.boundingBox({ includeLabels: true }), q = b.boundingBox({ includeLabels: true });
              if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) {
                overlaps.push(a.id() + ' / ' + b.id());
              }
            }));
            return overlaps.join('\\n');
            """;
    private static final String REJECTION = "cds_ingress: rejected by the console test's sidecar";

    @Autowired
    XdsServer xds;

    @Test
    void theSeedsMeshItsLiveTrafficAndANackedProxy() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("mylearning"), port);
                AdsStream sidecar = new AdsStream(xds.port());
                ConsoleBrowser browser = new ConsoleBrowser(port)) {
            scenario.v2.failEvery = 4; // a quarter of v2's calls fail
            // more of the seed's services, each behind its own node, as the mesh lists them
            for (String service : SEED_SERVICES) {
                scenario.admin.createVirtualNode(r -> r.meshName(scenario.mesh).virtualNodeName(service + "-v1")
                        .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                                .serviceDiscovery(d -> d.dns(dns -> dns.hostname(service + ".mylearning.local")))));
                scenario.admin.createVirtualService(r -> r.meshName(scenario.mesh).virtualServiceName(service + ".mylearning.local")
                        .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName(service + "-v1")))));
            }
            // the seed's A/B versions as its Kubernetes manifests name them (<name>_<namespace>), in one router's box
            scenario.admin.createVirtualRouter(r -> r.meshName(scenario.mesh).virtualRouterName("recommendation-router")
                    .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
            for (String version : RECOMMENDATION_VERSIONS) {
                scenario.admin.createVirtualNode(r -> r.meshName(scenario.mesh).virtualNodeName(version)
                        .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                                .serviceDiscovery(d -> d.dns(dns -> dns.hostname("recommendation.mylearning.local")))));
            }
            scenario.admin.createRoute(r -> r.meshName(scenario.mesh).virtualRouterName("recommendation-router").routeName("ab-test")
                    .spec(s -> s.httpRoute(h -> h.match(m -> m.prefix("/")).action(a -> a.weightedTargets(
                            t -> t.virtualNode(RECOMMENDATION_VERSIONS[0]).weight(50),
                            t -> t.virtualNode(RECOMMENDATION_VERSIONS[1]).weight(50))))));
            sidecar.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS)
                    .setNode(AdsStream.node("mesh/" + scenario.mesh + "/virtualNode/user-v2")).build());
            DiscoveryResponse clusters = sidecar.next(10_000);
            assertThat(clusters).isNotNull();
            sidecar.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS).setResponseNonce(clusters.getNonce())
                    .setErrorDetail(Status.newBuilder().setCode(3).setMessage(REJECTION)).build());

            ManagedChannel channel = XdsClients.xdsChannel(scenario.grpcBootstrap("frontend"), UserServiceMesh.SERVICE);
            AtomicBoolean calling = new AtomicBoolean(true);
            Thread client = new Thread(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (calling.get() && System.nanoTime() < end) {
                    XdsClients.tryCall(channel);
                    sleep(20);
                }
            }, "console-test-client");
            client.start();
            try {
                // the page may run only the server's own script, may not be framed, and the browser may not sniff types
                java.net.http.HttpResponse<String> page = send("GET", "/ui/", null);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                        .contains("script-src 'self';", "connect-src 'self';", "frame-ancestors 'none'").doesNotContain("unsafe-eval"));
                assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
                assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
                browser.open("/ui/");
                browser.click("#mesh-list a[data-mesh='" + scenario.mesh + "']");

                // the graph's services, router and nodes
                for (String node : new String[] {"virtualService/" + UserServiceMesh.SERVICE, "virtualRouter/user-router",
                        "virtualNode/user-v1", "virtualNode/user-v2", "virtualNode/frontend",
                        "virtualService/course-service.mylearning.local", "virtualNode/notification-service-v1"}) {
                    browser.await(PAGE, ExpectedConditions.presenceOfElementLocated(
                            By.cssSelector("#nodes tr[data-node='" + node + "']")));
                }
                assertThat(Integer.parseInt(browser.find("#graph").getDomAttribute("data-rendered-nodes")))
                        .as("drawn on the graph's canvas").isGreaterThanOrEqualTo(5 + 2 * SEED_SERVICES.length);
                assertThat((String) browser.driver.executeScript(OVERLAPPING_LABELS))
                        .as("no node or its name drawn over another's (versions with long names side by side)").isEmpty();

                // the running client's live edges, one per version, v2's with its errors
                String toV1 = "#edges tr[data-from='frontend'][data-to='user-v1'] ";
                String toV2 = "#edges tr[data-from='frontend'][data-to='user-v2'] ";
                browser.await(LIVE, driver -> !browser.text(toV2 + ".error-rate").matches("0%|–")
                        && !browser.text(toV1 + ".rps").equals("–"));
                assertThat(browser.text(toV1 + ".error-rate")).isEqualTo("0%");
                assertThat(Double.parseDouble(browser.text(toV2 + ".error-rate").replace("%", "")))
                        .as("a quarter of v2's calls fail").isBetween(10.0, 40.0);

                // the NACK, flagged on the mesh and on the node
                browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.id("nack-alert")));
                assertThat(browser.text("#nack-alert")).contains("Configuration rejected", "user-v2");
                assertThat(browser.all("#nodes tr[data-node='virtualNode/user-v2'] .badge.nack")).hasSize(1);
                assertThat(browser.all("#nodes tr[data-node='virtualNode/user-v1'] .badge.nack")).isEmpty();
                browser.screenshot("mesh");

                // user-v2's panel: its proxy in red with its own error, and what it was sent
                browser.click("#nodes tr[data-node='virtualNode/user-v2'] a");
                String row = "#node-panel tr[data-proxy='mesh/" + scenario.mesh + "/virtualNode/user-v2'] ";
                browser.await(PAGE, ExpectedConditions.visibilityOfElementLocated(By.cssSelector(row + ".badge.nack")));
                assertThat(browser.text(row + ".badge.nack")).isEqualTo("NACK");
                assertThat(browser.text(row + ".nack-message")).contains(REJECTION);
                browser.click(row + "button.show-config");
                browser.await(PAGE, ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#node-panel pre.config"), "cds_ingress_"));
                browser.screenshot("node-nacked");
                // figures the API leaves out (no request finished: no rate) read as a dash, never as a value of JavaScript's
                assertThat(browser.text("body")).doesNotContain("NaN", "undefined", "null");

                // a link cannot make the page read the graph back to back: at most once a second
                browser.open("/ui/?refresh=1#/meshes/" + scenario.mesh);
                browser.await(PAGE, ExpectedConditions.textToBePresentInElementLocated(By.id("updated"), "every"));
                assertThat(browser.text("#updated")).endsWith("every 1 s");
            } finally {
                calling.set(false);
                client.join();
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A cell of the live edge from frontend to a version, as the page shows it. */
    private static String liveEdge(ConsoleBrowser browser, String destination, String cell) {
        return browser.find("#edges tr[data-from='frontend'][data-to='" + destination + "'] " + cell).getText();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
