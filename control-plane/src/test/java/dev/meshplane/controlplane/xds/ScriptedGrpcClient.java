package dev.meshplane.controlplane.xds;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a proxyless gRPC client of another language as a process and sends it batches of calls, one JSON
 * line each way: {@code src/test/node/client.js} on @grpc/grpc-js-xds (installed by the Maven build with
 * npm), or {@code src/test/python/client.py} on gRPC C-core through Debian's {@code python3-grpcio}
 * (installed by the Maven build with apt-get where missing, {@code src/test/python/install-grpcio.sh}).
 */
final class ScriptedGrpcClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The outcome of a batch: answers per backend name, failures per gRPC status code. */
    record Batch(Map<String, Integer> counts, Map<String, Integer> errors, long ms) {
    }

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path log;

    /** A @grpc/grpc-js-xds client of {@code target} (an {@code xds:///} address) with this gRPC bootstrap. */
    static ScriptedGrpcClient grpcJs(String bootstrap, String target) throws IOException {
        Path proto = Files.createTempFile("simpleservice", ".proto");
        try (InputStream source = ScriptedGrpcClient.class.getResourceAsStream("/io/grpc/testing/protobuf/simpleservice.proto")) {
            Files.write(proto, source.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder("node", "client.js", target).directory(Path.of("src/test/node").toFile());
        builder.environment().put("PROTO_PATH", proto.toString());
        return new ScriptedGrpcClient(builder, bootstrap, "grpc-js");
    }

    /**
     * A gRPC C-core client (Debian's python3-grpcio under the system Python, not a Python of the PATH that
     * may lack it) of {@code target} with this gRPC bootstrap.
     */
    static ScriptedGrpcClient cCore(String bootstrap, String target) throws IOException {
        return new ScriptedGrpcClient(new ProcessBuilder("/usr/bin/python3", "client.py", target)
                .directory(Path.of("src/test/python").toFile()), bootstrap, "grpc-c-core");
    }

    private ScriptedGrpcClient(ProcessBuilder builder, String bootstrap, String name) throws IOException {
        log = Files.createTempFile(name + "-client", ".log");
        builder.redirectError(log.toFile());
        builder.environment().put("GRPC_XDS_BOOTSTRAP_CONFIG", bootstrap);
        process = builder.start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    Batch calls(int calls, Map<String, String> metadata, long deadlineMs) throws IOException {
        return send(Map.of("calls", calls, "metadata", metadata, "deadlineMs", deadlineMs));
    }

    /** Calls to another {@code xds:///} target than the one the client started with, over the same xDS client. */
    Batch callsTo(String target, int calls, Map<String, String> metadata, long deadlineMs) throws IOException {
        return send(Map.of("calls", calls, "metadata", metadata, "deadlineMs", deadlineMs, "target", target));
    }

    private Batch send(Map<String, Object> command) throws IOException {
        in.write(JSON.writeValueAsString(command) + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the client exited: " + Files.readString(log));
        }
        JsonNode result = JSON.readTree(line);
        return new Batch(JSON.treeToValue(result.get("counts"), Map.class), JSON.treeToValue(result.get("errors"), Map.class),
                result.get("ms").asLong());
    }

    Batch calls(int calls) throws IOException {
        return calls(calls, Map.of(), 5000);
    }

    @Override
    public void close() throws Exception {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException alreadyGone) {
            // the process ended on its own
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
