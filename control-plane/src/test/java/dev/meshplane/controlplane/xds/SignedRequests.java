package dev.meshplane.controlplane.xds;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests signed by signers no one here wrote (the AWS SDK for Java's {@code AwsV4HttpSigner}), sent
 * byte for byte as signed or altered on purpose: over a raw socket for REST (so that the Host header,
 * the path and the body can be changed after signing), and as gRPC metadata for xDS (as Envoy's AWS
 * IAM credentials send them).
 */
final class SignedRequests {

    static final String ADS_METHOD = "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources";
    static final String DELTA_ADS_METHOD = "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources";

    private SignedRequests() {
    }

    /** The headers the SDK's signer adds to a request (lower-case names), signed at {@code at} for this region and service. */
    static Map<String, String> sign(String method, URI uri, String body, String accessKeyId, String secret, String region,
            String service, Instant at) {
        return sign(method, uri, Map.of(), body, accessKeyId, secret, region, service, at);
    }

    /** The same, with these headers on the request before it is signed (so that they are signed too). */
    static Map<String, String> sign(String method, URI uri, Map<String, String> extra, String body, String accessKeyId,
            String secret, String region, String service, Instant at) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        extra.forEach(builder::putHeader);
        SdkHttpRequest request = builder.build();
        var signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKeyId, secret)).request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
            if (body != null) {
                r.payload(ContentStreamProvider.fromUtf8String(body));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return headers;
    }

    /** What came back from a raw request: the status, the headers (lower-case names) and the body as text. */
    record Raw(int status, Map<String, String> headers, String body) {
    }

    /** Sends exactly this request (the headers as given, Host included) and reads the whole answer. */
    static Raw send(int port, String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("content-length: ").append(payload.length).append("\r\nconnection: close\r\n\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> answer = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                answer.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), answer, text.substring(end + 4));
        }
    }

    /** The SigV4 headers of an ADS stream to {@code localhost:port}, as Envoy's AWS IAM gRPC credentials make them. */
    static Map<String, String> signStream(int port, String accessKeyId, String secret, String region, String service, Instant at) {
        return signStream(port, ADS_METHOD, accessKeyId, secret, region, service, at);
    }

    /** The same for a stream of this gRPC method ({@code /<service>/<method>}): each call is signed for its own path. */
    static Map<String, String> signStream(int port, String method, String accessKeyId, String secret, String region,
            String service, Instant at) {
        return sign("POST", URI.create("http://localhost:" + port + method), null, accessKeyId, secret, region, service, at);
    }

    /** A channel whose streams carry these headers as metadata ({@code host} goes as the stream's authority instead). */
    static ManagedChannel channel(int port, Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((name, value) -> {
            if (!name.equals("host")) {
                metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
            }
        });
        return NettyChannelBuilder.forAddress("localhost", port).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(metadata)).build();
    }
}
