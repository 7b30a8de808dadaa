package dev.meshplane.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Meshplane's packaged server, changed through the App Mesh API (AWS SDK) and the registry API. */
final class MeshplaneTarget implements Target {

    private final ServerProcess server;
    private MeshBuilder mesh;

    /** The server with these JVM options and these arguments (settings) on its command line. */
    MeshplaneTarget(Path jar, Path dataDir, String heap, List<String> jvmOptions, List<String> serverArguments) throws Exception {
        this.server = new ServerProcess(jar, dataDir, heap, jvmOptions, serverArguments);
    }

    @Override
    public void start() throws Exception {
        server.start();
        if (mesh == null) {
            mesh = new MeshBuilder(server.api());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        server.stop();
    }

    @Override
    public int xdsPort() {
        return server.xdsPort;
    }

    @Override
    public Duration cpu() {
        return server.cpu();
    }

    @Override
    public Duration databaseCpu() {
        return server.databaseCpu();
    }

    @Override
    public Map<String, Double> metric(String name) throws Exception {
        return server.metric(name);
    }

    @Override
    public long heapAfterGc() throws Exception {
        return server.heapAfterGc();
    }

    @Override
    public void build(int services, int clients, int backends, Progress progress) throws Exception {
        mesh.build(services, clients, backends, progress);
    }

    @Override
    public void setWeights(int service, int v1, int v2) {
        mesh.setWeights(service, v1, v2);
    }

    @Override
    public void addEndpoint(int service) throws Exception {
        mesh.register(service, "v1-b", "v1", "10.200.0.1");
    }

    @Override
    public void addService(int service, int client, List<Integer> backends) throws Exception {
        mesh.addService(service, 50);
        List<Integer> more = new ArrayList<>(backends);
        more.add(service);
        mesh.setBackends(client, more);
    }

    @Override
    public void mtls(String mode) throws Exception {
        mesh.mtls(mode);
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            if (mesh != null) {
                mesh.close();
            }
        }
    }
}
