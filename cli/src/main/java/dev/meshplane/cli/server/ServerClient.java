package dev.meshplane.cli.server;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls Meshplane's HTTP API with {@link java.net.http.HttpClient}, authenticated by a bearer token or by SigV4
 * (service {@code appmesh}) computed by the AWS SDK's own signer ({@link AwsV4HttpSigner}), as the AWS CLI signs
 * the same requests.
 */
public final class ServerClient {

    // java.net.http sets these itself and refuses them as request headers; Host is the URI's, as signed
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection");

    // the answers' numbers as the server wrote them: timestamps are epoch seconds with a fraction (1796055806.991),
    // which a double would print back as 1.796055806991E9
    private static final JsonMapper ANSWERS = AppMeshJson.configure(JsonMapper.builder(AppMeshJson.jsonFactory()))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final URI endpoint;
    private final String token;
    private final AwsCredentialsIdentity credentials;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param endpoint    the server's HTTP address, e.g. {@code http://localhost:8080}
     * @param token       a bearer token, or null
     * @param credentials AWS credentials to sign with when there is no token, or null (then requests are anonymous)
     * @param region      the SigV4 region
     */
    ServerClient(URI endpoint, String token, AwsCredentialsIdentity credentials, String region) {
        this.endpoint = endpoint;
        this.token = token;
        this.credentials = credentials;
        this.region = region;
    }

    /**
     * Sends one request and returns the JSON answer of a 2xx.
     *
     * @param pathAndQuery e.g. {@code /v1/apply?dryRun=true}
     * @param body         the JSON body, or null
     * @throws ServerException exit 4 for a 4xx (its x-amzn-ErrorType and message), exit 5 for a 5xx or no answer
     */
    public JsonNode send(String method, String pathAndQuery, String body) {
        HttpResponse<String> response = exchange(method, pathAndQuery, body);
        try {
            return response.body().isEmpty() ? null : ANSWERS.readTree(response.body());
        } catch (JacksonException notJson) {
            // a login page or another service answering: the server's fault for CI (5), not the input's (1)
            throw new ServerException(ExitCodes.SERVER_ERROR, endpoint + " answered HTTP " + response.statusCode()
                    + " with " + response.headers().firstValue("Content-Type").orElse("no Content-Type")
                    + ", not Meshplane's JSON: is --endpoint Meshplane's HTTP address?");
        }
    }

    /**
     * Sends a GET and returns the body of a 2xx as it came (YAML, JSON or text).
     *
     * @throws ServerException as {@link #send} does
     */
    public String text(String pathAndQuery) {
        return exchange("GET", pathAndQuery, null).body();
    }

    private HttpResponse<String> exchange(String method, String pathAndQuery, String body) {
        URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + pathAndQuery);
        byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload));
        if (payload != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        } else if (credentials != null) {
            sign(method, uri, payload, payload != null).forEach(request::header);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ServerException(ExitCodes.SERVER_ERROR, "cannot reach " + endpoint + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(ExitCodes.SERVER_ERROR, "interrupted while waiting for " + endpoint);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String type = response.headers().firstValue("x-amzn-ErrorType").orElse("HTTP " + status);
        String message = response.body();
        try {
            JsonNode error = AppMeshJson.mapper().readTree(response.body());
            if (error.path("message").isString()) {
                message = error.path("message").asString();
            }
        } catch (RuntimeException notJson) {
            // a proxy's or servlet's own error page: shown as it came
        }
        throw new ServerException(status < 500 ? ExitCodes.SERVER_REFUSED : ExitCodes.SERVER_ERROR,
                type + " (" + status + "): " + message);
    }

    /** An answer as indented JSON, its numbers written as the server wrote them. */
    public static String pretty(JsonNode answer) {
        return ANSWERS.writerWithDefaultPrettyPrinter().writeValueAsString(answer);
    }

    /** The headers the SDK's SigV4 signer adds (Authorization, X-Amz-Date, X-Amz-Security-Token), Host left out. */
    private Map<String, String> sign(String method, URI uri, byte[] payload, boolean json) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (json) {
            builder.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest unsigned = builder.build();
        var signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(credentials).request(unsigned)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "appmesh")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region);
            if (payload != null) {
                r.payload(ContentStreamProvider.fromByteArray(payload));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!SET_BY_CLIENT.contains(lower) && !lower.equals("content-type")) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }
}
