package dev.meshplane.controlplane.xds;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Meshplane replica: the packaged server as a process of its own, on a shared PostgreSQL. */
final class ReplicaProcess implements AutoCloseable {

    final String name;
    final int httpPort;
    final int xdsPort;
    final Path log;
    private final Path jar;
    private final String jdbcUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    ReplicaProcess(String name, Path jar, String jdbcUrl, Path logDir) throws IOException {
        this.name = name;
        this.jar = jar;
        this.jdbcUrl = jdbcUrl;
        this.httpPort = freePort();
        this.xdsPort = freePort();
        this.log = logDir.resolve(name + ".log");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the process and waits until it is ready (readiness probe UP). */
    ReplicaProcess start() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + httpPort,
                "--meshplane.xds.port=" + xdsPort,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--meshplane.leader.check-interval=300ms",
                "--meshplane.xds.drain-window=2s",
                "--meshplane.xds.warm-up=false",
                "--meshplane.security.authentication=disabled", // development mode, explicitly: these tests are about replicas
                "--management.endpoints.web.exposure.include=health,prometheus"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; its log: " + Files.readString(log));
            }
            try {
                if (get("/actuator/health/readiness").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not become ready; see " + log);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a gauge with no labels but the common ones, from /actuator/prometheus; -1 when unreadable. */
    double gauge(String metric) {
        try {
            Matcher sample = Pattern.compile("(?m)^" + metric + "(\\{[^}]*})? (\\S+)$").matcher(get("/actuator/prometheus").body());
            return sample.find() ? Double.parseDouble(sample.group(2)) : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as Kubernetes stops a pod; returns without waiting. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the server process to end (after SIGTERM), returning whether it did. */
    boolean awaitExit(long seconds) throws InterruptedException { // a wait whose result callers assert: nothing is skipped
        return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!awaitExit(30)) { // a replica that does not stop within 30 s is killed, so no process outlives the test
                process.destroyForcibly().waitFor();
            }
        }
    }
}
