package dev.meshplane.controlplane;

import static dev.meshplane.controlplane.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.ConflictException;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeData;

/** No lost updates: concurrent writers are serialised by version, and racing creates have one winner. */
class ConcurrencyTest extends ServerTest {

    private static final int THREADS = 8;

    @Test
    void concurrentUpdatesAreAllAppliedInOrder() throws Exception {
        String mesh = uniqueName("race-update");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("n").spec(node("start.local")));

        int perThread = 10;
        AtomicInteger succeeded = new AtomicInteger();
        List<Long> versionsSeen = java.util.Collections.synchronizedList(new ArrayList<>());
        runConcurrently(THREADS, t -> {
            try (AppMeshClient client = appMeshClient(port, "AKID", "secret")) {
                for (int i = 0; i < perThread; i++) {
                    String host = "t" + t + "-" + i + ".local";
                    VirtualNodeData data = client.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("n")
                            .spec(node(host))).virtualNode();
                    versionsSeen.add(data.metadata().version());
                    succeeded.incrementAndGet();
                }
            }
            return null;
        });

        long finalVersion = appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("n"))
                .virtualNode().metadata().version();
        assertThat(succeeded.get()).isEqualTo(THREADS * perThread);
        assertThat(finalVersion).isEqualTo(1L + succeeded.get());
        assertThat(versionsSeen).as("each update got its own version").doesNotHaveDuplicates()
                .hasSize(THREADS * perThread);
    }

    @Test
    void staleIfMatchGets412AndTheWinnerIsKept() throws Exception {
        String mesh = uniqueName("if-match");
        appMesh.createMesh(r -> r.meshName(mesh));
        String path = "/v20190125/meshes/" + mesh;
        String body = "{\"spec\":{\"egressFilter\":{\"type\":\"ALLOW_ALL\"}}}";

        // several writers all believe the mesh is at version 1; exactly one may win
        AtomicInteger won = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        runConcurrently(THREADS, t -> {
            HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(uri(path))
                    .header("If-Match", "\"1\"").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                won.incrementAndGet();
            } else {
                assertThat(response.statusCode()).isEqualTo(412);
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("PreconditionFailedException");
                assertThat(response.body()).contains("is at version 2, not 1");
                refused.incrementAndGet();
            }
            return null;
        });
        assertThat(won.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(THREADS - 1);
        assertThat(appMesh.describeMesh(r -> r.meshName(mesh)).mesh().metadata().version()).isEqualTo(2L);

        HttpResponse<String> current = send("GET", path, null);
        assertThat(current.headers().firstValue("ETag")).hasValue("\"2\"");
    }

    @Test
    void racingCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
        String mesh = uniqueName("race-create");
        AtomicInteger won = new AtomicInteger();
        AtomicInteger conflicted = new AtomicInteger();
        runConcurrently(THREADS, t -> {
            try (AppMeshClient client = appMeshClient(port, "AKID", "secret")) {
                client.createMesh(r -> r.meshName(mesh));
                won.incrementAndGet();
            } catch (ConflictException e) {
                conflicted.incrementAndGet();
            }
            return null;
        });
        assertThat(won.get()).isEqualTo(1);
        assertThat(conflicted.get()).isEqualTo(THREADS - 1);

        AtomicInteger nodesWon = new AtomicInteger();
        AtomicInteger nodesConflicted = new AtomicInteger();
        runConcurrently(THREADS, t -> {
            try (AppMeshClient client = appMeshClient(port, "AKID", "secret")) {
                client.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("n").spec(node("t" + t + ".local")));
                nodesWon.incrementAndGet();
            } catch (ConflictException e) {
                nodesConflicted.incrementAndGet();
            }
            return null;
        });
        assertThat(nodesWon.get()).isEqualTo(1);
        assertThat(nodesConflicted.get()).isEqualTo(THREADS - 1);
        assertThat(appMesh.listVirtualNodes(r -> r.meshName(mesh)).virtualNodes()).hasSize(1);
    }

    interface Task {
        Object run(int thread) throws Exception;
    }

    /** Starts every task at once, waits for all, and rethrows the first failure. */
    private static void runConcurrently(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Object> call = () -> {
                    start.await();
                    return task.run(thread);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            for (Future<Object> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
