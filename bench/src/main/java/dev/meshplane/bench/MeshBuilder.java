package dev.meshplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.Backend;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * Writes the scale scenario's mesh through the App Mesh API (the AWS SDK) and the registry API:
 * per service two versions of its node, instances of each in the registry, a router with a route
 * splitting between them and the virtual service; and client nodes with backends, every client
 * having service 0 so that a change to it reaches every proxy.
 */
final class MeshBuilder implements AutoCloseable {

    static final String MESH = "bench";
    static final String NAMESPACE = "bench.local";

    private final String api;
    private final AppMeshClient appMesh;
    private final HttpClient http = HttpClient.newHttpClient();

    MeshBuilder(String api) {
        this.api = api;
        this.appMesh = AppMeshClient.builder().endpointOverride(URI.create(api)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build();
    }

    static String service(int i) {
        return "svc-" + i + "." + NAMESPACE;
    }

    static String client(int c) {
        return "client-" + c;
    }

    /** The services client c calls: service 0 and {@code backends - 1} others spread over the rest. */
    static List<Integer> backendsOf(int c, int services, int backends) {
        List<Integer> list = new ArrayList<>();
        list.add(0);
        for (int j = 1; j < backends; j++) {
            list.add(1 + Math.floorMod(c * (backends - 1) + j - 1, services - 1));
        }
        return list;
    }

    void build(int services, int clients, int backends, Progress progress) throws Exception {
        try {
            appMesh.createMesh(r -> r.meshName(MESH));
        } catch (software.amazon.awssdk.services.appmesh.model.ConflictException e) {
            throw new IllegalStateException("mesh '" + MESH + "' already exists in this data directory;"
                    + " run with a new --data-dir (the default is a new one)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                int service = i;
                work.add(pool.submit(() -> {
                    addService(service, 50);
                    return null;
                }));
            }
            int done = 0;
            for (Future<?> f : work) {
                f.get();
                progress.step(++done);
            }
            work.clear();
            for (int c = 0; c < clients; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    appMesh.createVirtualNode(r -> r.meshName(MESH).virtualNodeName(client(client))
                            .spec(clientSpec(backendsOf(client, services, backends))));
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static VirtualNodeSpec clientSpec(List<Integer> backends) {
        return VirtualNodeSpec.builder().backends(backends.stream().map(b -> Backend.builder()
                .virtualService(v -> v.virtualServiceName(service(b))).build()).toList()).build();
    }

    void addService(int i, int v2Weight) throws Exception {
        for (String version : List.of("v1", "v2")) {
            appMesh.createVirtualNode(r -> r.meshName(MESH).virtualNodeName("svc-" + i + "-" + version).spec(VirtualNodeSpec.builder()
                    .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                    .serviceDiscovery(d -> d.awsCloudMap(m -> m.namespaceName(NAMESPACE).serviceName("svc-" + i)
                            .attributes(a -> a.key("version").value(version))))
                    .build()));
            register(i, version + "-a", version, "10." + (i / 250) + "." + (i % 250) + "." + (version.equals("v1") ? 10 : 20));
        }
        appMesh.createVirtualRouter(r -> r.meshName(MESH).virtualRouterName("svc-" + i + "-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
        appMesh.createRoute(r -> r.meshName(MESH).virtualRouterName("svc-" + i + "-router").routeName("split")
                .spec(split(i, 100 - v2Weight, v2Weight)));
        appMesh.createVirtualService(r -> r.meshName(MESH).virtualServiceName(service(i))
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("svc-" + i + "-router")))));
    }

    static RouteSpec split(int i, int v1, int v2) {
        return RouteSpec.builder().httpRoute(h -> h.match(m -> m.prefix("/"))
                .action(a -> a.weightedTargets(t -> t.virtualNode("svc-" + i + "-v1").weight(v1),
                        t -> t.virtualNode("svc-" + i + "-v2").weight(v2)))).build();
    }

    void setWeights(int service, int v1, int v2) {
        appMesh.updateRoute(r -> r.meshName(MESH).virtualRouterName("svc-" + service + "-router").routeName("split")
                .spec(split(service, v1, v2)));
    }

    void setBackends(int client, List<Integer> backends) {
        appMesh.updateVirtualNode(r -> r.meshName(MESH).virtualNodeName(client(client)).spec(clientSpec(backends)));
    }

    void register(int service, String id, String version, String ip) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/registry/" + NAMESPACE
                        + "/svc-" + service + "/instances/" + id))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"" + ip
                        + "\",\"AWS_INSTANCE_PORT\":\"8080\",\"version\":\"" + version + "\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("registry: " + response.body());
        }
    }

    void mtls(String mode) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/meshes/" + MESH + "/mtls"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"" + mode + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("mtls: " + response.body());
        }
    }

    @Override
    public void close() {
        appMesh.close();
    }
}
