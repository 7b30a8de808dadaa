package dev.meshplane.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the scenario runs against: a control plane in its own process, and the changes it can make to the mesh. */
interface Target extends AutoCloseable {

    /** Starts (or restarts, on the same data) the server process and waits until it answers. */
    void start() throws Exception;

    /** Stops the server with SIGTERM. */
    void stop() throws InterruptedException;

    int xdsPort();

    /** CPU time the server process has used so far. */
    Duration cpu();

    /** CPU time the server's database processes have used so far (zero where it has none of its own). */
    default Duration databaseCpu() {
        return Duration.ZERO;
    }

    /** One of the server's metrics summed over its tags, value per statistic (COUNT, TOTAL_TIME, MAX ...). */
    default Map<String, Double> metric(String name) throws Exception {
        throw new UnsupportedOperationException("this server has no metrics endpoint");
    }

    /** Heap in use right after a full collection, in bytes. */
    long heapAfterGc() throws Exception;

    /** Writes the scenario's mesh: services with two versions and a weighted route, and client nodes with backends. */
    void build(int services, int clients, int backends, Progress progress) throws Exception;

    /** Changes the route weights of one service. */
    void setWeights(int service, int v1, int v2) throws Exception;

    /** Adds an instance (endpoint) to one service. */
    void addEndpoint(int service) throws Exception;

    /** Adds a new service and gives it to one client node as a backend, besides the ones it has. */
    void addService(int service, int client, List<Integer> backends) throws Exception;

    /** Turns the mesh-wide mTLS switch to this mode (STRICT or PERMISSIVE). */
    default void mtls(String mode) throws Exception {
        throw new UnsupportedOperationException("this server has no mTLS switch");
    }

    @Override
    default void close() throws Exception {
        stop();
    }
}
