package dev.meshplane.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Meshplane server as a process of its own, so that the fleet and the server do not share a JVM. */
final class ServerProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final int httpPort;
    final int xdsPort;
    private final Path jar;
    private final Path dataDir;
    private final String heap;
    private final Path log;
    private Process process;

    private final List<String> jvmOptions;
    private final List<String> serverArguments;

    ServerProcess(Path jar, Path dataDir, String heap, List<String> jvmOptions) throws IOException {
        this(jar, dataDir, heap, jvmOptions, List.of());
    }

    /** With {@code serverArguments} added to its command line (e.g. an external database for the drills). */
    ServerProcess(Path jar, Path dataDir, String heap, List<String> jvmOptions, List<String> serverArguments)
            throws IOException {
        this.jvmOptions = jvmOptions;
        this.serverArguments = serverArguments;
        this.jar = jar;
        this.dataDir = dataDir;
        this.heap = heap;
        this.httpPort = freePort();
        this.xdsPort = freePort();
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String api() {
        return "http://localhost:" + httpPort;
    }

    void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + httpPort,
                "--meshplane.xds.port=" + xdsPort,
                "--meshplane.database.embedded.data-dir=" + dataDir,
                "--management.endpoints.web.exposure.include=health,metrics",
                "--logging.level.root=WARN",
                "--logging.level.dev.meshplane.controlplane.web.StartupBanner=INFO",
                "--logging.level.dev.meshplane.controlplane.xds.ConfigPublisher=DEBUG"));
        for (String limit : List.of("meshes", "virtual-services-per-mesh", "virtual-nodes-per-mesh",
                "virtual-routers-per-mesh", "routes-per-virtual-router", "virtual-gateways-per-mesh")) {
            command.add("--meshplane.limits." + limit + "=100000");
        }
        command.addAll(serverArguments);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        // 9 s on a quiet 2-core machine, but over 90 s measured while seven other builds shared it
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(api() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not become ready; see " + log);
    }

    /** SIGTERM, as an orchestrator stops it. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** The server's log, as written so far. */
    String log() throws IOException {
        return java.nio.file.Files.readString(log);
    }

    /** CPU time the server process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * CPU time the embedded PostgreSQL has used so far: its server process (found by its data directory, as
     * {@code pg_ctl} leaves it a child of init, not of the JVM) and the processes it forked that are alive now; a
     * backend that has exited no longer counts (the server's pool keeps its connections open).
     */
    Duration databaseCpu() {
        Path dir = dataDir.toAbsolutePath().normalize();
        return ProcessHandle.allProcesses().filter(p -> servesFrom(p, dir))
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
    }

    /** Is this a PostgreSQL server ({@code postgres -D <dir> ...}) of that data directory? */
    private static boolean servesFrom(ProcessHandle process, Path dir) {
        String[] arguments = process.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("-D") && Path.of(arguments[i + 1]).toAbsolutePath().normalize().equals(dir)) {
                return process.info().command().map(c -> c.endsWith("postgres")).orElse(false);
            }
        }
        return false;
    }

    /** One of the server's metrics ({@code /actuator/metrics/<name>}) summed over its tags: value per statistic (COUNT, TOTAL_TIME in seconds, MAX ...). */
    Map<String, Double> metric(String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api() + "/actuator/metrics/" + name)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> values = new LinkedHashMap<>();
        if (response.statusCode() != 200) {
            return values; // a meter not registered (yet)
        }
        for (JsonNode measurement : JSON.readTree(response.body()).path("measurements")) {
            values.put(measurement.path("statistic").asString(), measurement.path("value").asDouble());
        }
        return values;
    }

    /** Heap in use right after a full collection, in bytes. */
    long heapAfterGc() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(process.pid()), "GC.run");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api() + "/actuator/metrics/jvm.memory.used?tag=area:heap")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+]+)").matcher(body);
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static Path defaultJar() {
        return Path.of("control-plane", "target", "meshplane.jar");
    }

    static boolean exists(Path jar) {
        return new File(jar.toString()).isFile();
    }
}
