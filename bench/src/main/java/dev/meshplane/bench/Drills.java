package dev.meshplane.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The operator's drills, each one command, each printing its figures (docs/operations.md keeps them):
 * <ul>
 *   <li>{@code replicas}: two server processes on one PostgreSQL, the simulated fleet on the second; a
 *   route change written through the first reaches every proxy of the second (p50/p99/max from the
 *   API's answer); the first is killed (SIGKILL) and the second takes the leader's jobs (time to the
 *   log line); a change written through the second still reaches the fleet.</li>
 *   <li>{@code outage}: one server on an external PostgreSQL with the fleet connected; the database is
 *   stopped: how long the first and the next writes take to answer, and with what; how a read
 *   answers; whether a proxy connecting meanwhile is configured; the database is started again:
 *   how long until a write succeeds, and until it reaches every proxy. On the application's defaults.</li>
 * </ul>
 * Arguments: {@code replicas|outage [--proxies=1000] [--services=100] [--clients=20] [--backends=5]}.
 */
public final class Drills {

    private final Map<String, String> args;
    private final int proxies;
    private final int services;
    private final int clients;
    private final int backends;
    private final Path work;
    private final Path jar;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> figures = new LinkedHashMap<>();

    Drills(Map<String, String> args) throws Exception {
        this.args = args;
        this.proxies = Integer.parseInt(args.getOrDefault("proxies", "1000"));
        this.services = Integer.parseInt(args.getOrDefault("services", "100"));
        this.clients = Integer.parseInt(args.getOrDefault("clients", "20"));
        this.backends = Integer.parseInt(args.getOrDefault("backends", "5"));
        this.jar = Path.of(args.getOrDefault("server-jar", ServerProcess.defaultJar().toString()));
        this.work = Path.of("bench", "target", "drill-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        String drill = null;
        for (String arg : argv) {
            if (!arg.startsWith("--")) {
                drill = arg;
                continue;
            }
            String[] kv = arg.substring(2).split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        Drills drills = new Drills(args);
        if ("replicas".equals(drill)) {
            drills.replicas();
        } else if ("outage".equals(drill)) {
            drills.outage();
        } else {
            System.err.println("usage: Drills replicas|outage [--proxies=1000] [--services=100] [--clients=20] [--backends=5]");
            System.exit(2); // a usage error, for scripts: not a test
        }
        drills.figures.forEach((name, value) -> System.out.printf("%-58s %s%n", name, value));
        System.exit(0); // the fleet's gRPC threads would keep the JVM alive
    }

    private List<String> external(EmbeddedPostgres database) {
        return List.of("--spring.datasource.url=" + database.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--meshplane.security.authentication=disabled",
                "--logging.level.dev.meshplane.controlplane.cluster=INFO");
    }

    private List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            ids.add("mesh/" + MeshBuilder.MESH + "/virtualNode/" + MeshBuilder.client(c));
        }
        return ids;
    }

    void replicas() throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).start();
                ServerProcess a = new ServerProcess(jar, work.resolve("a"), "1g", List.of(), external(database));
                ServerProcess b = new ServerProcess(jar, work.resolve("b"), "2g", List.of(), external(database))) {
            a.start();
            await(Duration.ofSeconds(30), () -> contains(a, "now the leader"));
            b.start();
            try (MeshBuilder throughA = new MeshBuilder(a.api());
                    Fleet fleet = new Fleet("localhost", b.xdsPort, nodeIds(), proxies)) {
                throughA.build(services, clients, backends, quiet());
                fleet.connect(quiet());
                fleet.await(SimulatedProxy::configured, 120_000, quiet());
                figures.put("proxies configured by replica B", fleet.proxies.stream().filter(SimulatedProxy::configured).count());
                converge("a route change written through A, reaching B's proxies", fleet,
                        () -> throughA.setWeights(0, 0, 100));
                long killed = System.nanoTime();
                a.kill();
                boolean led = await(Duration.ofSeconds(60), () -> contains(b, "now the leader"));
                figures.put("A killed (SIGKILL): B leads after", led ? ms(System.nanoTime() - killed) : "not within 60 s");
                try (MeshBuilder throughB = new MeshBuilder(b.api())) {
                    converge("a route change written through B after A died", fleet, () -> throughB.setWeights(0, 100, 0));
                }
            }
        }
    }

    void outage() throws Exception {
        Path data = work.resolve("postgres");
        EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        int port = database.getPort();
        try (ServerProcess server = new ServerProcess(jar, work.resolve("server"), "2g", List.of(), external(database));
                MeshBuilder mesh = new MeshBuilder(startAndApi(server));
                Fleet fleet = new Fleet("localhost", server.xdsPort, nodeIds(), proxies)) {
            mesh.build(services, clients, backends, quiet());
            fleet.connect(quiet());
            fleet.await(SimulatedProxy::configured, 120_000, quiet());
            String read = server.api() + "/v20190125/meshes/" + MeshBuilder.MESH + "/virtualNodes/" + MeshBuilder.client(0);
            String unread = "/v20190125/meshes/" + MeshBuilder.MESH + "/virtualNodes/" + MeshBuilder.client(1);
            Thread.sleep(1000); // the mesh's last change notification comes and goes: a read after it is kept
            answer("a read before the outage (DescribeVirtualNode)", server, "GET", read.substring(server.api().length()), null);
            database.close();
            figures.put("database stopped", "(fast shutdown: connections refused)");
            answer("first write while the database is away", server, "PUT", "/v20190125/meshes", "{\"meshName\": \"drill-1\"}");
            answer("next write", server, "PUT", "/v20190125/meshes", "{\"meshName\": \"drill-2\"}");
            answer("the same read during the outage", server, "GET", read.substring(server.api().length()), null);
            answer("a read this replica never answered", server, "GET", unread, null);
            try (Fleet late = new Fleet("localhost", server.xdsPort, nodeIds().subList(0, 1), 1)) {
                long t = System.nanoTime();
                late.connect(quiet());
                boolean configured = late.await(SimulatedProxy::configured, 30_000, quiet());
                figures.put("a proxy connecting during the outage is configured", configured ? "yes, in " + ms(System.nanoTime() - t)
                        : "no, within 30 s");
            }
            figures.put("proxies still holding their configuration", fleet.proxies.stream().filter(SimulatedProxy::configured).count()
                    + " of " + fleet.proxies.size());
            long back = System.nanoTime();
            database = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
            figures.put("database started again in", ms(System.nanoTime() - back));
            long t = System.nanoTime();
            boolean writes = await(Duration.ofSeconds(60), () -> status(server, "PUT", "/v20190125/meshes",
                    "{\"meshName\": \"drill-" + UUID.randomUUID().toString().substring(0, 6) + "\"}") == 200);
            figures.put("first successful write after it returned", writes ? ms(System.nanoTime() - t) : "none within 60 s");
            converge("a route change after the outage", fleet, () -> mesh.setWeights(0, 0, 100));
        } finally {
            database.close();
        }
    }

    private static String startAndApi(ServerProcess server) throws Exception {
        server.start();
        return server.api();
    }

    private void answer(String what, ServerProcess server, String method, String path, String body) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> response = send(server, method, path, body);
        StringBuilder headers = new StringBuilder();
        response.headers().map().forEach((name, values) -> {
            if (name.equalsIgnoreCase("retry-after") || name.toLowerCase().startsWith("x-meshplane")
                    || name.equalsIgnoreCase("x-amzn-errortype")) {
                headers.append(' ').append(name).append(": ").append(String.join(",", values)).append(';');
            }
        });
        figures.put(what, response.statusCode() + " in " + ms(System.nanoTime() - t) + headers);
    }

    private int status(ServerProcess server, String method, String path, String body) {
        try {
            return send(server, method, path, body).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> send(ServerProcess server, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.api() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Applies a change and records p50, p99 and max from the write's request to each proxy's new route
     * version (from the request, not the answer: the replica that takes a write may push before it answers).
     */
    private void converge(String what, Fleet fleet, ScenarioRunner.Action change) throws Exception {
        Map<SimulatedProxy, String> before = new HashMap<>();
        fleet.proxies.forEach(p -> before.put(p, p.versions.getOrDefault(SimulatedProxy.RDS, "")));
        long t0 = System.nanoTime();
        change.run();
        boolean all = fleet.await(p -> !p.versions.getOrDefault(SimulatedProxy.RDS, "").equals(before.get(p)), 60_000, quiet());
        List<Long> latencies = new ArrayList<>();
        for (SimulatedProxy p : fleet.proxies) {
            SimulatedProxy.Arrival arrival = p.latest.get(SimulatedProxy.RDS);
            if (arrival != null && !arrival.version().equals(before.get(p))) {
                latencies.add(arrival.nanos() - t0);
            }
        }
        latencies.sort(null);
        figures.put(what, latencies.isEmpty() ? "reached no proxy" : String.format("reached %d of %d: p50 %s, p99 %s, max %s%s",
                latencies.size(), fleet.proxies.size(), ms(at(latencies, 50)), ms(at(latencies, 99)),
                ms(latencies.get(latencies.size() - 1)), all ? "" : " (incomplete after 60 s)"));
    }

    private static long at(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static boolean contains(ServerProcess server, String text) {
        try {
            return server.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    private static String ms(long nanos) {
        return String.format("%.0f ms", nanos / 1e6);
    }

    private Progress quiet() {
        return new Progress("", 1, false);
    }
}
