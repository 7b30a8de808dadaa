package dev.meshplane.controlplane.xds;

import dev.meshplane.controlplane.ServerTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.DurationUnit;
import software.amazon.awssdk.services.appmesh.model.GrpcRetryPolicyEvent;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * The end-to-end scenario both xDS client tests share: user-service.mylearning.local behind a
 * router with a 90/10 canary route (retry on UNAVAILABLE, 500 ms timeout) and a premium route on
 * x-user-segment, two real gRPC backends (plus a spare) found through the registry, and a
 * frontend node whose backend is the service. Written through the AWS SDK and the registry API.
 */
final class UserServiceMesh implements AutoCloseable {

    static final String SERVICE = "user-service.mylearning.local";

    final String mesh;
    final BackendServer v1;
    final BackendServer v2;
    final BackendServer v1b;
    final AppMeshClient admin;
    private final int port;
    private final long routeTimeoutMs;
    private final HttpClient http = HttpClient.newHttpClient();

    UserServiceMesh(String mesh, int port) throws Exception {
        this(mesh, port, 500);
    }

    /** The scenario with another per-request timeout on the canary route than 500 ms. */
    UserServiceMesh(String mesh, int port, long routeTimeoutMs) throws Exception {
        this.mesh = mesh;
        this.port = port;
        this.routeTimeoutMs = routeTimeoutMs;
        v1 = new BackendServer("v1");
        v2 = new BackendServer("v2");
        v1b = new BackendServer("v1b");
        admin = ServerTest.appMeshClient(port, "AKID", "secret");
        admin.createMesh(r -> r.meshName(mesh));
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1").spec(backendNode("v1")));
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v2").spec(backendNode("v2")));
        client("frontend");
        admin.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("user-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("canary").spec(canary(90, 10, routeTimeoutMs)));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("premium")
                .spec(RouteSpec.builder().priority(1).grpcRoute(g -> g
                        .match(m -> m.serviceName("grpc.testing.SimpleService")
                                .metadata(md -> md.name("x-user-segment").match(mm -> mm.exact("premium"))))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("user-v2").weight(1)))).build()));
        admin.createVirtualService(r -> r.meshName(mesh).virtualServiceName(SERVICE)
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("user-router")))));
        register("v1-a", v1, "v1");
        register("v2-a", v2, "v2");
    }

    /** Creates a virtual node whose one backend is the service, for another client to use. */
    void client(String node) {
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(node).spec(VirtualNodeSpec.builder()
                .backends(b -> b.virtualService(s -> s.virtualServiceName(SERVICE))).build()));
    }

    static VirtualNodeSpec backendNode(String version) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))
                .serviceDiscovery(d -> d.awsCloudMap(c -> c.namespaceName("mylearning.local").serviceName("user-service")
                        .attributes(a -> a.key("version").value(version))))
                .build();
    }

    static RouteSpec canary(int v1Weight, int v2Weight) {
        return canary(v1Weight, v2Weight, 500);
    }

    static RouteSpec canary(int v1Weight, int v2Weight, long timeoutMs) {
        return RouteSpec.builder().priority(10).grpcRoute(g -> g
                .match(m -> m.serviceName("grpc.testing.SimpleService"))
                .action(a -> a.weightedTargets(
                        t -> t.virtualNode("user-v1").weight(v1Weight),
                        t -> t.virtualNode("user-v2").weight(v2Weight)))
                .retryPolicy(r -> r.maxRetries(2L).perRetryTimeout(d -> d.unit(DurationUnit.MS).value(1000L))
                        .grpcRetryEvents(GrpcRetryPolicyEvent.UNAVAILABLE))
                .timeout(t -> t.perRequest(d -> d.unit(DurationUnit.MS).value(timeoutMs))))
                .build();
    }

    void setWeights(int v1Weight, int v2Weight) {
        admin.updateRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("canary")
                .spec(canary(v1Weight, v2Weight, routeTimeoutMs)));
    }

    HttpResponse<String> register(String id, BackendServer server, String version) throws IOException, InterruptedException {
        return send("PUT", "/v1/registry/mylearning.local/user-service/instances/" + id,
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"" + server.port()
                        + "\",\"version\":\"" + version + "\"}}");
    }

    HttpResponse<String> deregister(String id) throws IOException, InterruptedException {
        return send("DELETE", "/v1/registry/mylearning.local/user-service/instances/" + id, null);
    }

    /** Meshplane's gRPC bootstrap for a virtual node of this mesh. */
    String grpcBootstrap(String node) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/" + node + "/bootstrap?format=grpc", null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("bootstrap: " + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        admin.close();
        v1.close();
        v2.close();
        v1b.close();
    }
}
