package dev.meshplane.grpc;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * A Meshplane proxy token from a file, as {@code authorization: Bearer <token>} on each call. Here
 * a call is an xDS stream, so the file is read once per stream and whoever renews the token only
 * rewrites the file. A missing or empty file fails the stream UNAUTHENTICATED, naming the file; the
 * xDS client then retries with backoff.
 */
final class ProxyTokenCredentials extends CallCredentials {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Path file;

    ProxyTokenCredentials(Path file) {
        this.file = file;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor executor, MetadataApplier applier) {
        executor.execute(() -> {
            String token;
            try {
                token = token();
            } catch (IOException | RuntimeException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription("cannot read the Meshplane proxy token from " + file
                        + ": " + e.getMessage()).withCause(e));
                return;
            }
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            applier.apply(headers);
        });
    }

    /** The file's token. */
    String token() throws IOException {
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty() || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IOException("the file is empty or holds more than one token");
        }
        return token;
    }
}
