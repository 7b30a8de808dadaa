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
 * Runs {@code src/test/node/client.js}, a @grpc/grpc-js-xds client (installed by the Maven build
 * with npm), and sends it batches of calls, one JSON line each way.
 */
final class GrpcJsClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The outcome of a batch: answers per backend name, failures per gRPC status code. */
    record Batch(Map<String, Integer> counts, Map<String, Integer> errors, long ms) {
    }

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path log;

    GrpcJsClient(String bootstrap, String target) throws IOException {
        Path proto = Files.createTempFile("simpleservice", ".proto");
        try (InputStream source = GrpcJsClient.class.getResourceAsStream("/io/grpc/testing/protobuf/simpleservice.proto")) {
            Files.write(proto, source.readAllBytes());
        }
        log = Files.createTempFile("grpc-js-client", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "client.js", target)
                .directory(Path.of("src/test/node").toFile())
                .redirectError(log.toFile());
        builder.environment().put("GRPC_XDS_BOOTSTRAP_CONFIG", bootstrap);
        builder.environment().put("PROTO_PATH", proto.toString());
        process = builder.start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    Batch calls(int calls, Map<String, String> metadata, long deadlineMs) throws IOException {
        in.write(JSON.writeValueAsString(Map.of("calls", calls, "metadata", metadata, "deadlineMs", deadlineMs)) + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the grpc-js client exited: " + Files.readString(log));
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
