package dev.meshplane.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link BaselineServer} (bare java-control-plane) as a process of its own, on this JVM's class
 * path. It holds the mesh in memory: building it means starting it with the number of services, and
 * a restart starts from version 1 again, as a bare SimpleCache server does.
 */
final class BaselineProcess implements Target {

    private final int httpPort;
    private final int xdsPort;
    private final String heap;
    private final String serializer;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private int services;
    private Process process;

    BaselineProcess(Path log, String heap, String serializer) throws IOException {
        this.log = log;
        this.heap = heap;
        this.serializer = serializer;
        this.httpPort = freePort();
        this.xdsPort = freePort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void start() throws Exception {
        if (services == 0) {
            return; // started by build(), which knows the mesh's size
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                "--http-port=" + httpPort, "--xds-port=" + xdsPort, "--services=" + services, "--serializer=" + serializer));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the baseline server exited; see " + log);
            }
            try {
                call("/ready");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the baseline server did not become ready; see " + log);
    }

    private String call(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    @Override
    public int xdsPort() {
        return xdsPort;
    }

    @Override
    public Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public long heapAfterGc() throws Exception {
        return Long.parseLong(call("/heap").trim());
    }

    /** Every proxy gets every service, so the client nodes and their backends make no difference here. */
    @Override
    public void build(int services, int clients, int backends, Progress progress) throws Exception {
        this.services = services;
        start();
        progress.step(services);
    }

    @Override
    public void setWeights(int service, int v1, int v2) throws Exception {
        call("/weights?service=" + service + "&v1=" + v1 + "&v2=" + v2);
    }

    @Override
    public void addEndpoint(int service) throws Exception {
        call("/endpoint?service=" + service);
    }

    @Override
    public void addService(int service, int client, List<Integer> backends) throws Exception {
        call("/service");
    }
}
