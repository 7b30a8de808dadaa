package dev.meshplane.bench;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.envoyproxy.controlplane.server.serializer.DefaultProtoResourcesSerializer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The comparison baseline: java-control-plane's {@code SimpleCache} and {@code V3DiscoveryServer}
 * used the way their README shows, with nothing of Meshplane's. One snapshot for every proxy, holding
 * the whole mesh: per service a cluster, its endpoints (a v1 and a v2 instance) and a virtual host
 * whose route splits between it and the next service, all in one route configuration behind one
 * listener. Each type has its own version counter, so a route change bumps only RDS.
 *
 * <p>Changes come in over a small HTTP interface (the same kinds the scenario makes through the App
 * Mesh API); it answers first and then calls {@code setSnapshot} on another thread, as the API
 * answers after the commit and before the push.
 *
 * <pre>java -cp ... dev.meshplane.bench.BaselineServer --http-port=8081 --xds-port=18001 --services=500 --serializer=cached</pre>
 */
public final class BaselineServer {

    private static final String GROUP = "all";
    private static final ConfigSource ADS = ConfigSource.newBuilder().setResourceApiVersion(ApiVersion.V3)
            .setAds(AggregatedConfigSource.getDefaultInstance()).build();

    private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
    private final ExecutorService updates = Executors.newSingleThreadExecutor();
    private final Map<Integer, int[]> weights = new HashMap<>();
    private final Map<Integer, Integer> extraEndpoints = new HashMap<>();
    private int services;
    private long clustersVersion = 1;
    private long endpointsVersion = 1;
    private long routesVersion = 1;

    BaselineServer(int services) {
        this.services = services;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        BaselineServer baseline = new BaselineServer(Integer.parseInt(args.getOrDefault("services", "500")));
        baseline.publish();
        V3DiscoveryServer discovery = "default".equals(args.get("serializer"))
                ? new V3DiscoveryServer(List.of(), baseline.cache, () -> Runnable::run, new DefaultProtoResourcesSerializer())
                : new V3DiscoveryServer(List.of(), baseline.cache, () -> Runnable::run, new CachedProtoResourcesSerializer());
        Server xds = NettyServerBuilder.forPort(Integer.parseInt(args.get("xds-port")))
                .addService(discovery.getAggregatedDiscoveryServiceImpl()).build().start();
        HttpServer http = HttpServer.create(new InetSocketAddress(Integer.parseInt(args.get("http-port"))), 0);
        http.createContext("/", baseline::handle);
        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            xds.shutdownNow();
        }));
        xds.awaitTermination();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, Integer> query = new HashMap<>();
        String raw = exchange.getRequestURI().getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        String answer = "ok";
        switch (exchange.getRequestURI().getPath()) {
            case "/ready" -> { }
            case "/heap" -> {
                System.gc();
                answer = Long.toString(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            case "/weights" -> change(() -> {
                weights.put(query.get("service"), new int[] {query.get("v1"), query.get("v2")});
                routesVersion++;
            });
            case "/endpoint" -> change(() -> {
                extraEndpoints.merge(query.get("service"), 1, Integer::sum);
                endpointsVersion++;
            });
            case "/service" -> change(() -> {
                services++;
                clustersVersion++;
                endpointsVersion++;
                routesVersion++;
            });
            default -> answer = null;
        }
        byte[] body = (answer == null ? "not found" : answer).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private void change(Runnable edit) {
        updates.execute(() -> {
            edit.run();
            publish();
        });
    }

    private void publish() {
        List<Cluster> clusters = new ArrayList<>();
        List<ClusterLoadAssignment> endpoints = new ArrayList<>();
        RouteConfiguration.Builder routes = RouteConfiguration.newBuilder().setName("egress");
        for (int i = 0; i < services; i++) {
            String name = "svc-" + i;
            clusters.add(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                    .setConnectTimeout(Durations.fromSeconds(1))
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS)).build());
            LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
            int count = 2 + extraEndpoints.getOrDefault(i, 0);
            for (int e = 0; e < count; e++) {
                locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(
                        Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                .setAddress("10." + (i / 250) + "." + (i % 250) + "." + (10 + e)).setPortValue(8080)))));
            }
            endpoints.add(ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality).build());
            int[] w = weights.getOrDefault(i, new int[] {50, 50});
            routes.addVirtualHosts(VirtualHost.newBuilder().setName(name)
                    .addDomains(name + ".bench.local").addDomains(name + ".bench.local:8080")
                    .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(name)
                                            .setWeight(UInt32Value.of(w[0])))
                                    .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                            .setName("svc-" + ((i + 1) % services)).setWeight(UInt32Value.of(w[1])))))));
        }
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("egress")
                .setRds(Rds.newBuilder().setRouteConfigName("egress").setConfigSource(ADS))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(com.google.protobuf.Any.pack(Router.getDefaultInstance())))
                .build();
        Listener listener = Listener.newBuilder().setName("egress")
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15001)))
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(com.google.protobuf.Any.pack(hcm))))
                .build();
        cache.setSnapshot(GROUP, Snapshot.create(clusters, Long.toString(clustersVersion), endpoints,
                Long.toString(endpointsVersion), List.of(listener), "1", List.of(routes.build()),
                Long.toString(routesVersion), List.of(), "1"));
    }
}
