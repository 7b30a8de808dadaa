package dev.meshplane.bench;

import dev.meshplane.bench.SimulatedProxy.Arrival;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scale scenario, one command: starts the server as its own process (or uses a running one),
 * writes the mesh through the API, connects the simulated fleet, makes changes, and reports cold
 * start, convergence per change (from the API's response to the last proxy's receipt, and the API's time; every
 * response is ACKed at once), pushes and bytes, CPU and heap after GC, and what a restart re-sends.
 * With {@code --load-reports}, every proxy also reports its load (LRS) before the changes and while they are made,
 * and the runner measures what that costs the server ({@link #loadReporting}); {@code --reporting-interval=10s}
 * sets the server's {@code meshplane.traffic.reporting-interval}, {@code --cpu-window=60} the seconds each CPU
 * figure is taken over.
 *
 * <pre>java -cp bench/target/meshplane-bench.jar:... dev.meshplane.bench.ScenarioRunner --proxies=1000 [--load-reports]</pre>
 */
public final class ScenarioRunner {

    private final Map<String, String> args;
    private final int proxies;
    private final int services;
    private final int clients;
    private final int backends;
    private final boolean progress;
    private final boolean loadReports;
    private final long cpuWindowMillis;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<Map<String, Object>> changes = new ArrayList<>();

    ScenarioRunner(Map<String, String> args) {
        this.args = args;
        this.proxies = Integer.parseInt(args.getOrDefault("proxies", "1000"));
        this.services = Integer.parseInt(args.getOrDefault("services", "500"));
        this.clients = Integer.parseInt(args.getOrDefault("clients", "100"));
        this.backends = Integer.parseInt(args.getOrDefault("backends", "10"));
        this.progress = Boolean.parseBoolean(args.getOrDefault("progress", "true"));
        this.loadReports = Boolean.parseBoolean(args.getOrDefault("load-reports", "false"));
        this.cpuWindowMillis = Long.parseLong(args.getOrDefault("cpu-window", "60")) * 1000;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        Map<String, Object> result = new ScenarioRunner(args).run();
        // the command's exit status says whether every change reached every proxy it had to (not a
        // test switch: ScaleScenarioIT calls run() and asserts on the result itself)
        System.exit(Boolean.TRUE.equals(result.get("complete")) ? 0 : 1); // the CLI's status for scripts; tests call run()
    }

    Map<String, Object> run() throws Exception {
        Path jar = Path.of(args.getOrDefault("server-jar", ServerProcess.defaultJar().toString()));
        Path dataDir = Path.of(args.getOrDefault("data-dir", "bench/target/scale-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.createDirectories(dataDir.getParent());
        result.put("proxies", proxies);
        result.put("services", services);
        result.put("clientNodes", clients);
        result.put("backendsPerClient", backends);
        result.put("cores", Runtime.getRuntime().availableProcessors());
        boolean complete = true;
        List<String> jvmOptions = args.containsKey("server-jvm") ? List.of(args.get("server-jvm").split(" ")) : List.of();
        String heap = args.getOrDefault("heap", "2g");
        String baseline = args.get("baseline");
        if (baseline != null) {
            baseline = "true".equals(baseline) ? "cached" : baseline;
            result.put("server", "bare java-control-plane SimpleCache, " + baseline + " serializer");
        } else {
            result.put("server", "meshplane");
        }
        String mtls = args.get("mtls");
        if (mtls != null) {
            if (baseline != null) {
                throw new IllegalArgumentException("--mtls: the baseline has no mTLS switch");
            }
            result.put("mtls", mtls);
        }
        List<String> serverArguments = new ArrayList<>();
        if (loadReports) {
            if (baseline != null) {
                throw new IllegalArgumentException("--load-reports: the baseline serves no load reporting");
            }
            result.put("loadReportingInterval", args.getOrDefault("reporting-interval", "10s (the server's default)"));
        }
        if (args.containsKey("reporting-interval")) {
            serverArguments.add("--meshplane.traffic.reporting-interval=" + args.get("reporting-interval"));
        }
        try (Target server = baseline != null
                ? new BaselineProcess(dataDir.resolveSibling(dataDir.getFileName() + "-baseline.log"), heap, baseline)
                : new MeshplaneTarget(jar, dataDir, heap, jvmOptions, serverArguments)) {
            server.start();
            long t = System.nanoTime();
            server.build(services, clients, backends, new Progress("building the mesh", services, progress));
            if (mtls != null) {
                server.mtls(mtls);
            }
            result.put("meshBuildSeconds", seconds(System.nanoTime() - t));
            List<String> nodeIds = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                nodeIds.add("mesh/" + MeshBuilder.MESH + "/virtualNode/" + MeshBuilder.client(c));
            }
            Duration cpuBefore = server.cpu();
            try (Fleet fleet = new Fleet("localhost", server.xdsPort(), nodeIds, proxies, mtls != null)) {
                long start = System.nanoTime();
                fleet.connect(new Progress("connecting", proxies, progress));
                complete &= fleet.await(SimulatedProxy::configured, 120_000, new Progress("cold start", proxies, progress));
                result.put("coldStartMillis", millis(System.nanoTime() - start));
                result.put("coldStartCpuSeconds", seconds(server.cpu().minus(cpuBefore).toNanos()));
                result.put("heapAfterGcBytes", server.heapAfterGc());
                if (loadReports) {
                    complete &= loadReporting(server, fleet);
                }
                complete &= changes(server, fleet);
                result.put("changes", changes);
                result.put("heapAfterGcBytesEnd", server.heapAfterGc());
                // the restart measures what a restarted server re-sends, as without load reports
                fleet.stopLoadReports();
                if (!"false".equals(args.get("restart"))) {
                    boolean nothingResent = restart(server, fleet);
                    // a bare SimpleCache numbers its versions from 1 again, so it re-sends: reported, not a failure
                    complete &= nothingResent || baseline != null;
                }
            }
        }
        result.put("complete", complete);
        report();
        return result;
    }

    private boolean changes(Target server, Fleet fleet) throws Exception {
        boolean ok = true;
        ok &= change("route weight (every proxy)", fleet, server, SimulatedProxy.RDS, p -> true,
                () -> server.setWeights(0, 80, 20));
        ok &= change("endpoint (every proxy)", fleet, server, SimulatedProxy.EDS, p -> true,
                () -> server.addEndpoint(0));
        int lone = services / 2 + 3;
        Set<String> callers = new java.util.HashSet<>();
        for (int c = 0; c < clients; c++) {
            if (MeshBuilder.backendsOf(c, services, backends).contains(lone)) {
                callers.add("mesh/" + MeshBuilder.MESH + "/virtualNode/" + MeshBuilder.client(c));
            }
        }
        ok &= change("one service's route (its callers only)", fleet, server, SimulatedProxy.RDS,
                p -> callers.contains(p.nodeId), () -> server.setWeights(lone, 10, 90));
        int chosen = Math.min(7, clients - 1);
        String newClient = "mesh/" + MeshBuilder.MESH + "/virtualNode/" + MeshBuilder.client(chosen);
        ok &= change("new service (one client node)", fleet, server, SimulatedProxy.CDS,
                p -> p.nodeId.equals(newClient),
                () -> server.addService(services, chosen, MeshBuilder.backendsOf(chosen, services, backends)));
        return ok;
    }

    /** The server's CPU over a window of the fleet's steady state, in seconds per minute: its JVM's and its PostgreSQL's. */
    private record CpuRate(double jvm, double database) {
    }

    private CpuRate cpuOver(Target server, long millis) throws InterruptedException {
        Duration jvm = server.cpu();
        Duration database = server.databaseCpu();
        long start = System.nanoTime();
        Thread.sleep(millis);
        double minutes = (System.nanoTime() - start) / 60e9;
        return new CpuRate(round(server.cpu().minus(jvm).toNanos() / 1e9 / minutes),
                round(server.databaseCpu().minus(database).toNanos() / 1e9 / minutes));
    }

    /**
     * What load reporting costs the server: its CPU per minute with the fleet connected and idle, then with every
     * proxy reporting (after one interval, so the window holds only steady reports and writes), its heap after GC
     * both ways, the batches written to PostgreSQL meanwhile, and whether the server believed every report.
     * The changes measured next run while the fleet keeps reporting.
     */
    private boolean loadReporting(Target server, Fleet fleet) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        result.put("loadReports", row);
        CpuRate idle = cpuOver(server, cpuWindowMillis);
        row.put("cpuWindowSeconds", cpuWindowMillis / 1000);
        row.put("idleCpuSecondsPerMinute", idle.jvm());
        row.put("idleDatabaseCpuSecondsPerMinute", idle.database());
        row.put("heapAfterGcBytesWithout", server.heapAfterGc());

        Duration cpuBefore = server.cpu();
        long start = System.nanoTime();
        fleet.startLoadReports(new Progress("load reporting streams", proxies, progress));
        boolean ok = awaitReporters(fleet, 60_000);
        row.put("streamsOpenedMillis", millis(System.nanoTime() - start));
        row.put("streamsOpenedCpuSeconds", seconds(server.cpu().minus(cpuBefore).toNanos()));
        long interval = fleet.reporters.get(0).intervalMillis;
        row.put("reportingIntervalMillis", interval);
        Thread.sleep(interval + 2000); // the first reports arrive and are written before the window opens

        Map<String, Double> writes = server.metric("meshplane.traffic.writes");
        double accepted = server.metric("meshplane.traffic.reports.accepted").getOrDefault("COUNT", 0.0);
        double ignored = server.metric("meshplane.traffic.reports.ignored").getOrDefault("COUNT", 0.0);
        long sent = fleet.reportsSent();
        CpuRate reporting = cpuOver(server, cpuWindowMillis);
        Map<String, Double> writesAfter = server.metric("meshplane.traffic.writes");
        double acceptedNow = server.metric("meshplane.traffic.reports.accepted").getOrDefault("COUNT", 0.0) - accepted;
        double ignoredNow = server.metric("meshplane.traffic.reports.ignored").getOrDefault("COUNT", 0.0) - ignored;
        row.put("reportingCpuSecondsPerMinute", reporting.jvm());
        row.put("reportingDatabaseCpuSecondsPerMinute", reporting.database());
        row.put("addedCpuSecondsPerMinute", round(reporting.jvm() - idle.jvm()));
        row.put("addedDatabaseCpuSecondsPerMinute", round(reporting.database() - idle.database()));
        row.put("reportsSent", fleet.reportsSent() - sent);
        row.put("clusterReportsAccepted", (long) acceptedNow);
        row.put("clusterReportsIgnored", (long) ignoredNow);
        double batches = writesAfter.getOrDefault("COUNT", 0.0) - writes.getOrDefault("COUNT", 0.0);
        row.put("writes", (long) batches);
        row.put("writeMeanMillis", batches == 0 ? null
                : round((writesAfter.getOrDefault("TOTAL_TIME", 0.0) - writes.getOrDefault("TOTAL_TIME", 0.0)) * 1000 / batches));
        row.put("writeMaxMillis", round(writesAfter.getOrDefault("MAX", 0.0) * 1000));
        // one sum per caller node and callee listener per bucket: the rows each interval's batch writes
        row.put("rowsPerBucket", fleet.proxies.stream().flatMap(p -> p.egressClusters.stream().map(c -> p.nodeId + " " + c))
                .distinct().count());
        row.put("heapAfterGcBytesWith", server.heapAfterGc());
        return ok && acceptedNow > 0 && ignoredNow == 0;
    }

    private static boolean awaitReporters(Fleet fleet, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (fleet.reporters.stream().anyMatch(r -> r.answers.get() == 0)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    interface Action {
        void run() throws Exception;
    }

    /**
     * Applies a change and measures, for the proxies it must reach, the time from the API's response
     * to the arrival of a new version of the given type; counts every proxy that got anything.
     */
    private boolean change(String name, Fleet fleet, Target server, String type,
            Predicate<SimulatedProxy> affected, Action action) throws Exception {
        Map<SimulatedProxy, String> before = new HashMap<>();
        Map<SimulatedProxy, Long> responsesBefore = new HashMap<>();
        long bytesBefore = 0;
        for (SimulatedProxy p : fleet.proxies) {
            before.put(p, p.versions.getOrDefault(type, ""));
            responsesBefore.put(p, p.responses.get());
            bytesBefore += p.bytes.get();
        }
        Duration cpuBefore = server.cpu();
        // measured from the API's response, as the issue defines convergence; the API's own time is
        // reported beside it (add it for the time from sending the change). At a tiny scale the bare
        // baseline can push before its HTTP answer arrives, which shows as a negative figure.
        long sent = System.nanoTime();
        action.run();
        long t0 = System.nanoTime();
        long api = t0 - sent;
        List<SimulatedProxy> targets = fleet.proxies.stream().filter(affected).toList();
        Predicate<SimulatedProxy> reached = p -> !affected.test(p) || !p.versions.getOrDefault(type, "").equals(before.get(p));
        boolean ok = fleet.await(reached, 60_000, new Progress(name, fleet.proxies.size(), progress));
        Thread.sleep(1000); // let stragglers and unrelated pushes (there should be none) arrive
        List<Long> latencies = new ArrayList<>();
        for (SimulatedProxy p : targets) {
            Arrival arrival = p.latest.get(type);
            if (arrival != null && !arrival.version().equals(before.get(p))) {
                latencies.add(arrival.nanos() - t0);
            }
        }
        latencies.sort(null);
        long pushed = fleet.proxies.stream().filter(p -> p.responses.get() > responsesBefore.get(p)).count();
        long pushedOutside = fleet.proxies.stream().filter(p -> !affected.test(p) && p.responses.get() > responsesBefore.get(p)).count();
        long bytes = fleet.proxies.stream().mapToLong(p -> p.bytes.get()).sum() - bytesBefore;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("change", name);
        row.put("affected", targets.size());
        row.put("reached", latencies.size());
        row.put("apiMillis", millis(api));
        row.put("p50Millis", percentile(latencies, 50));
        row.put("p99Millis", percentile(latencies, 99));
        row.put("maxMillis", latencies.isEmpty() ? null : millis(latencies.get(latencies.size() - 1)));
        row.put("proxiesPushed", pushed);
        row.put("proxiesPushedOutsideAffected", pushedOutside);
        row.put("bytes", bytes);
        row.put("cpuSeconds", seconds(server.cpu().minus(cpuBefore).toNanos()));
        changes.add(row);
        return ok && latencies.size() == targets.size();
    }

    private boolean restart(Target server, Fleet fleet) throws Exception {
        Map<SimulatedProxy, Map<String, String>> before = new HashMap<>();
        for (SimulatedProxy p : fleet.proxies) {
            before.put(p, Map.copyOf(p.versions));
        }
        server.stop();
        long t = System.nanoTime();
        server.start();
        result.put("restartServerReadyMillis", millis(System.nanoTime() - t));
        Duration cpuBefore = server.cpu();
        long responsesBefore = fleet.proxies.stream().mapToLong(p -> p.responses.get()).sum();
        long reconnect = System.nanoTime();
        fleet.reconnect(server.xdsPort(), new Progress("reconnecting", proxies, progress));
        result.put("reconnectMillis", millis(System.nanoTime() - reconnect));
        Thread.sleep(3000);
        long responses = fleet.proxies.stream().mapToLong(p -> p.responses.get()).sum() - responsesBefore;
        // configuration only: certificates live in the server's memory, so a restarted server issues new ones
        long changedVersions = fleet.proxies.stream().filter(p -> SimulatedProxy.TYPES.stream()
                .anyMatch(type -> !java.util.Objects.equals(p.versions.get(type), before.get(p).get(type)))).count();
        long newSecrets = fleet.proxies.stream().filter(p -> p.versions.containsKey(SimulatedProxy.SDS)
                && !p.versions.get(SimulatedProxy.SDS).equals(before.get(p).get(SimulatedProxy.SDS))).count();
        result.put("restartResponses", responses);
        result.put("restartProxiesWithNewVersions", changedVersions);
        result.put("restartProxiesWithNewCertificates", newSecrets);
        result.put("restartCpuSeconds", seconds(server.cpu().minus(cpuBefore).toNanos()));
        result.put("restartHeapAfterGcBytes", server.heapAfterGc());
        return changedVersions == 0;
    }

    private static Double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return millis(sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 10_000_000.0) / 100.0;
    }

    /** The load reporting cost in one line, with the command that reruns it. */
    private String summary(Map<?, ?> lr) {
        return String.format("LOAD REPORTING COST %d proxies every %s s: server +%s CPU s/min (JVM %s -> %s, PostgreSQL %s -> %s),"
                        + " heap after GC %d -> %d MB, one write per interval of ~%s rows: mean %s ms, max %s ms;"
                        + " while reporting route change p99 %s ms, endpoint change p99 %s ms; %s reports ignored"
                        + " | rerun: bench/scale.sh --proxies=%d --load-reports",
                proxies, ((Number) lr.get("reportingIntervalMillis")).longValue() / 1000.0,
                round(((Number) lr.get("addedCpuSecondsPerMinute")).doubleValue()
                        + ((Number) lr.get("addedDatabaseCpuSecondsPerMinute")).doubleValue()),
                lr.get("idleCpuSecondsPerMinute"), lr.get("reportingCpuSecondsPerMinute"),
                lr.get("idleDatabaseCpuSecondsPerMinute"), lr.get("reportingDatabaseCpuSecondsPerMinute"),
                ((Number) lr.get("heapAfterGcBytesWithout")).longValue() / 1_000_000,
                ((Number) lr.get("heapAfterGcBytesWith")).longValue() / 1_000_000, lr.get("rowsPerBucket"),
                lr.get("writeMeanMillis"), lr.get("writeMaxMillis"),
                changes.isEmpty() ? null : changes.get(0).get("p99Millis"), changes.size() < 2 ? null : changes.get(1).get("p99Millis"),
                lr.get("clusterReportsIgnored"), proxies);
    }

    private void report() throws Exception {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n%s%s: %d proxies over %d client nodes, %d services, %d backends each, %d cores%n",
                result.get("server"), result.containsKey("mtls") ? ", mTLS " + result.get("mtls") : "", proxies, clients, services,
                backends, Runtime.getRuntime().availableProcessors()));
        table.append(String.format("mesh written in %s s; cold start of all proxies %s ms (%s CPU s); heap after GC %d MB%n",
                result.get("meshBuildSeconds"), result.get("coldStartMillis"), result.get("coldStartCpuSeconds"),
                ((Number) result.get("heapAfterGcBytes")).longValue() / 1_000_000));
        table.append(String.format("%-40s %9s %9s %7s %9s %9s %9s %8s %12s %8s%n", "change", "affected", "reached",
                "API ms", "p50 ms", "p99 ms", "max ms", "pushed", "bytes", "CPU s"));
        for (Map<String, Object> row : changes) {
            table.append(String.format("%-40s %9s %9s %7s %9s %9s %9s %8s %12s %8s%n", row.get("change"), row.get("affected"),
                    row.get("reached"), row.get("apiMillis"), row.get("p50Millis"), row.get("p99Millis"), row.get("maxMillis"),
                    row.get("proxiesPushed"), row.get("bytes"), row.get("cpuSeconds")));
        }
        if (result.containsKey("restartResponses")) {
            table.append(String.format("restart: server ready in %s ms, fleet reconnected in %s ms, %s responses, %s proxies"
                            + " got a new version%s%n", result.get("restartServerReadyMillis"), result.get("reconnectMillis"),
                    result.get("restartResponses"), result.get("restartProxiesWithNewVersions"), result.containsKey("mtls")
                            ? ", " + result.get("restartProxiesWithNewCertificates") + " a new certificate" : ""));
        }
        if (result.get("loadReports") instanceof Map<?, ?> lr) {
            table.append(String.format("load reports every %s ms: server CPU %s CPU s/min idle, %s reporting (PostgreSQL %s and %s);"
                            + " streams opened in %s ms (%s CPU s); heap after GC %d MB without, %d MB with%n",
                    lr.get("reportingIntervalMillis"), lr.get("idleCpuSecondsPerMinute"), lr.get("reportingCpuSecondsPerMinute"),
                    lr.get("idleDatabaseCpuSecondsPerMinute"), lr.get("reportingDatabaseCpuSecondsPerMinute"),
                    lr.get("streamsOpenedMillis"), lr.get("streamsOpenedCpuSeconds"),
                    ((Number) lr.get("heapAfterGcBytesWithout")).longValue() / 1_000_000,
                    ((Number) lr.get("heapAfterGcBytesWith")).longValue() / 1_000_000));
            table.append(String.format("  in %s s: %s reports sent, %s cluster reports accepted, %s ignored; %s writes of about %s rows,"
                            + " mean %s ms, max %s ms%n", lr.get("cpuWindowSeconds"), lr.get("reportsSent"),
                    lr.get("clusterReportsAccepted"), lr.get("clusterReportsIgnored"), lr.get("writes"), lr.get("rowsPerBucket"),
                    lr.get("writeMeanMillis"), lr.get("writeMaxMillis")));
            table.append(summary(lr)).append('\n');
        }
        System.out.print(table);
        Path output = Path.of(args.getOrDefault("output", "bench/target/"
                + (args.containsKey("baseline") ? "baseline-" : "scale-") + proxies
                + (args.containsKey("mtls") ? "-mtls-" + args.get("mtls").toLowerCase(java.util.Locale.ROOT) : "")
                + (loadReports ? "-load-reports" : "") + ".json"));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("results: " + output);
    }
}
