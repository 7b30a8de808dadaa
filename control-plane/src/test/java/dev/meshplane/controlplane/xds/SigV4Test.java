package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SigV4 checked as AWS checks it, driven by signers no one here wrote: the AWS SDK for Java's
 * {@code AwsV4HttpSigner} (always) and botocore, through the AWS CLI and its Python (when installed).
 * A request signed right passes; the same request with its body, path, query, host or date changed,
 * or signed for another region or service or too long ago, is refused with 401 or 403 and an audit
 * row; a malformed header is a 400; on xDS each refusal is UNAUTHENTICATED with an audit row.
 */
class SigV4Test extends AuthenticatedServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private URI uri(String pathAndQuery, String host) {
        return URI.create("http://" + host + pathAndQuery);
    }

    private SignedRequests.Raw send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        return SignedRequests.send(port, method, pathAndQuery, headers, body);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return changed;
    }

    /** Waits for this many audit rows of the query (refusals are written in the background). */
    private JsonNode awaitRows(String query, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        JsonNode entries = ok(call("GET", "/v1/audit?" + query, null, ADMIN)).get("entries");
        while (entries.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            entries = ok(call("GET", "/v1/audit?" + query, null, ADMIN)).get("entries");
        }
        assertThat(entries.size()).as("audit rows for " + query + ": " + entries).isEqualTo(count);
        return entries;
    }

    @Test
    void aRequestSignedByTheSdkPassesAndEachAlteredPartIsRefusedWithAnAuditRow() throws Exception {
        String mesh = meshWithNodes();
        String[] key = accessKey("sdk-signed", "editor", mesh);
        String host = "localhost:" + port;
        Instant now = Instant.now();
        String list = "/v20190125/meshes/" + mesh + "/virtualNodes?limit=10";
        Map<String, String> signed = SignedRequests.sign("GET", uri(list, host), null, key[0], key[1], "us-east-1", "appmesh", now);
        assertThat(send("GET", list, signed, null).status()).as("as signed").isEqualTo(200);

        // the same signature over another path, query, host or date: the signature no longer matches
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualServices?limit=10", signed, null).status())
                .as("another path").isEqualTo(401);
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes?limit=11", signed, null).status())
                .as("another query").isEqualTo(401);
        // (not limit again: App Mesh's query parameters are given once, and a second one is a 400 before any check)
        assertThat(send("GET", list + "&meshOwner=123456789012", signed, null).status()).as("a query parameter added")
                .isEqualTo(401);
        assertThat(send("GET", list, with(signed, "host", "127.0.0.1:" + port), null).status()).as("another host")
                .isEqualTo(401);
        String date = signed.get("x-amz-date");
        String otherSecond = date.substring(0, 13) + (date.charAt(13) == '0' ? '1' : '0') + date.substring(14);
        assertThat(send("GET", list, with(signed, "x-amz-date", otherSecond), null).status()).as("another date").isEqualTo(401);

        // signed right, but for another region or service, or too long ago: AWS's 403 InvalidSignatureException
        for (String[] scope : new String[][] {{"eu-west-1", "appmesh", "valid region"}, {"us-east-1", "s3", "correct service"}}) {
            SignedRequests.Raw refused = send("GET", list, SignedRequests.sign("GET", uri(list, host), null, key[0], key[1],
                    scope[0], scope[1], now), null);
            assertThat(refused.status()).as(scope[0] + "/" + scope[1]).isEqualTo(403);
            assertThat(refused.headers().get("x-amzn-errortype")).isEqualTo("InvalidSignatureException");
            assertThat(refused.body()).contains(scope[2]);
        }
        SignedRequests.Raw expired = send("GET", list, SignedRequests.sign("GET", uri(list, host), null, key[0], key[1],
                "us-east-1", "appmesh", now.minus(Duration.ofMinutes(16))), null);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.body()).contains("Signature expired");
        SignedRequests.Raw early = send("GET", list, SignedRequests.sign("GET", uri(list, host), null, key[0], key[1],
                "us-east-1", "appmesh", now.plus(Duration.ofMinutes(16))), null);
        assertThat(early.status()).isEqualTo(403);
        assertThat(early.body()).contains("Signature not yet current");

        // a body: signed with the request, and the one received is the one hashed
        String create = "/v20190125/meshes/" + mesh + "/virtualNodes";
        String body = "{\"virtualNodeName\":\"signed\",\"spec\":{}}";
        Map<String, String> put = SignedRequests.sign("PUT", uri(create, host), body, key[0], key[1], "us-east-1", "appmesh", now);
        String otherBody = "{\"virtualNodeName\":\"swapped\",\"spec\":{}}";
        assertThat(send("PUT", create, put, otherBody).status()).as("another body").isEqualTo(401);
        assertThat(send("PUT", create, with(put, "x-amz-content-sha256", sha256(body)), otherBody).status())
                .as("another body, with the first body's hash declared").isEqualTo(401);
        assertThat(send("PUT", create, put, body).status()).as("the body signed").isEqualTo(200);
        assertThat(call("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/swapped", null, ADMIN).statusCode()).isEqualTo(404);

        JsonNode rows = awaitRows("actor=access%20key%20" + key[0] + "&action=AuthenticationFailed", 11);
        assertThat(rows.toString()).contains("valid region", "correct service", "Signature expired", "Signature not yet current",
                "signature does not match");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedSignatureHeadersAre400sWithAnAuditRowNeverA500() throws Exception {
        String mesh = meshWithNodes();
        String[] key = accessKey("malformed", "viewer", mesh);
        String host = "localhost:" + port;
        String path = "/v20190125/meshes/" + mesh;
        Map<String, String> signed = SignedRequests.sign("GET", uri(path, host), null, key[0], key[1], "us-east-1", "appmesh",
                Instant.now());
        String authorization = signed.get("authorization");
        String[][] cases = {
            {"x-amz-date", "yesterday", "X-Amz-Date must be in ISO 8601 basic format"},
            {"x-amz-date", "20261399T250000Z", "X-Amz-Date must be in ISO 8601 basic format"},
            {"x-amz-date", "", "X-Amz-Date must be in ISO 8601 basic format"},
            {"authorization", "AWS4-HMAC-SHA256 Credential=" + key[0], "requires 'SignedHeaders'"},
            {"authorization", authorization.replace("/aws4_request", "/aws5_request"), "valid terminator"},
            {"authorization", authorization.replaceFirst("/\\d{8}/", "/2026-1-1/"), "Credential's date must be yyyyMMdd"},
            {"authorization", authorization.replace("SignedHeaders=host;", "SignedHeaders="), "'Host' or ':authority'"},
            {"authorization", authorization.replaceFirst("Signature=[0-9a-f]+", "Signature=xyz"), "Signature must be 64"},
            {"x-amz-content-sha256", "UNSIGNED-PAYLOAD", "UNSIGNED-PAYLOAD is not accepted"},
        };
        for (String[] c : cases) {
            SignedRequests.Raw response = send("GET", path, with(signed, c[0], c[1]), null);
            assertThat(response.status()).as(c[0] + ": " + c[1] + " -> " + response.body()).isEqualTo(400);
            assertThat(response.headers().get("x-amzn-errortype")).isEqualTo("IncompleteSignatureException");
            assertThat(response.body()).contains(c[2]).doesNotContain("Exception:", "\tat ");
        }
        Map<String, String> noDate = new LinkedHashMap<>(signed);
        noDate.remove("x-amz-date");
        assertThat(send("GET", path, noDate, null).status()).isEqualTo(400);
        // the key id could be read in every case but one: the rows name it
        JsonNode rows = awaitRows("actor=access%20key%20" + key[0] + "&action=AuthenticationFailed", cases.length);
        assertThat(rows.toString()).contains("ISO 8601", "valid terminator", "UNSIGNED-PAYLOAD", "X-Amz-Date header is required");
    }

    @Test
    void xdsStreamsSignedForAnotherRegionOrServiceOrWithAMalformedDateAreUnauthenticatedWithAnAuditRow() throws Exception {
        String mesh = meshWithNodes();
        String[] key = proxyAccessKey(mesh, "api");
        DiscoveryRequest cds = DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/api"))
                .setTypeUrl(AdsStream.CDS).build();
        Instant now = Instant.now();
        Map<String, String> good = SignedRequests.signStream(xds.port(), key[0], key[1], "us-east-1", "appmesh", now);
        // Envoy's aws_iam plugin also signs x-amz-content-sha256, the hash of an empty payload
        Map<String, String> asEnvoy = SignedRequests.sign("POST", URI.create("http://localhost:" + xds.port()
                + SignedRequests.ADS_METHOD), Map.of("x-amz-content-sha256", sha256("")), null, key[0], key[1], "us-east-1",
                "appmesh", now);
        assertThat(asEnvoy.get("authorization")).contains("x-amz-content-sha256");
        for (Map<String, String> headers : List.of(good, asEnvoy)) {
            try (AdsStream stream = new AdsStream(SignedRequests.channel(xds.port(), headers))) {
                stream.send(cds);
                assertThat(stream.next(5000)).as("signed right: served").isNotNull();
            }
        }
        List<Map<String, String>> refused = List.of(
                SignedRequests.signStream(xds.port(), key[0], key[1], "eu-west-1", "appmesh", now),
                SignedRequests.signStream(xds.port(), key[0], key[1], "us-east-1", "s3", now),
                with(good, "x-amz-date", "not-a-date"),
                with(good, "x-amz-content-sha256", sha256("a body Envoy never signs")),
                SignedRequests.signStream(xds.port(), key[0], key[1], "us-east-1", "appmesh", now.minus(Duration.ofMinutes(20))));
        for (Map<String, String> headers : refused) {
            try (AdsStream stream = new AdsStream(SignedRequests.channel(xds.port(), headers))) {
                stream.send(cds);
                assertThat(stream.next(1500)).as("refused: " + headers).isNull();
                assertThat(stream.awaitEnd(5000)).as("closed").isNotNull();
                assertThat(stream.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
            }
        }
        JsonNode rows = awaitRows("actor=access%20key%20" + key[0] + "&action=XdsStreamRefused", refused.size());
        assertThat(rows.toString()).contains("valid region", "correct service", "X-Amz-Date must be",
                "x-amz-content-sha256 is not the SHA-256", "Signature expired");
    }

    /** The AWS CLI and botocore, as installed here; a test needing them is skipped with this reason when they are not. */
    private static String python() throws Exception {
        Path aws = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream().map(dir -> Path.of(dir, "aws"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeThat(aws).as("the AWS CLI is not installed (botocore signs through it); the SDK tests still run").isNotNull();
        Process check = new ProcessBuilder("python3", "-c", "import botocore").redirectErrorStream(true).start();
        assumeThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0)
                .as("python3 cannot import botocore (the AWS CLI's signer)").isTrue();
        return "python3";
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished: " + String.join(" ", command)).isTrue();
        return process.exitValue() + "\n" + output;
    }

    @Test
    void theAwsCliSignsForItsRegionOnlyAndABotocoreSignedRequestCannotBeReplayedWithAnotherBody() throws Exception {
        String python = python();
        String mesh = meshWithNodes();
        String[] key = accessKey("cli", "editor", mesh);
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", key[0], "AWS_SECRET_ACCESS_KEY", key[1],
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_EC2_METADATA_DISABLED", "true");
        String endpoint = "http://localhost:" + port;
        String listed = run(env, "aws", "--endpoint-url", endpoint, "--region", "us-east-1", "appmesh", "list-virtual-nodes",
                "--mesh-name", mesh, "--output", "json");
        assertThat(listed).as("the CLI, signing for this server's region").startsWith("0\n").contains("\"virtualNodeName\": \"api\"");
        String arn = ok(call("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/api", null, ADMIN)).at("/metadata/arn").asString();
        assertThat(run(env, "aws", "--endpoint-url", endpoint, "--region", "us-east-1", "appmesh", "tag-resource",
                "--resource-arn", arn, "--tags", "key=team,value=platform")).as("an ARN in the signed query string")
                .startsWith("0\n");

        // a PUT signed by botocore exactly as the CLI signs it, captured, then replayed with another body
        String path = "/v20190125/meshes/" + mesh + "/virtualNodes";
        String body = "{\"virtualNodeName\":\"by-botocore\",\"spec\":{}}";
        String script = String.join("\n",
                "import json, sys",
                "from botocore.auth import SigV4Auth",
                "from botocore.awsrequest import AWSRequest",
                "from botocore.credentials import Credentials",
                "url, body, key, secret = sys.argv[1:5]",
                "request = AWSRequest(method='PUT', url=url, data=body.encode(), headers={'Content-Type': 'application/json'})",
                "SigV4Auth(Credentials(key, secret), 'appmesh', 'us-east-1').add_auth(request)",
                "print(json.dumps({k.lower(): v for k, v in request.headers.items()}))");
        String signedJson = run(Map.of(), python, "-c", script, endpoint + path, body, key[0], key[1]);
        assertThat(signedJson).startsWith("0\n");
        Map<String, String> captured = new LinkedHashMap<>();
        JSON.readTree(signedJson.substring(2)).properties().forEach(e -> captured.put(e.getKey(), e.getValue().asString()));
        captured.put("host", "localhost:" + port);
        String swapped = "{\"virtualNodeName\":\"swapped-in\",\"spec\":{}}";
        assertThat(send("PUT", path, captured, swapped).status()).as("replayed with another body").isEqualTo(401);
        assertThat(send("PUT", path, with(captured, "x-amz-content-sha256", sha256(body)), swapped).status())
                .as("replayed with another body and the signed body's hash declared, unsigned").isEqualTo(401);
        assertThat(call("GET", path + "/swapped-in", null, ADMIN).statusCode()).isEqualTo(404);
        assertThat(send("PUT", path, captured, body).status()).as("as captured").isEqualTo(200);
        String elsewhere = run(env, "aws", "--endpoint-url", endpoint, "--region", "eu-west-1", "appmesh", "list-virtual-nodes",
                "--mesh-name", mesh);
        assertThat(elsewhere).as("the CLI, signing for another region").doesNotStartWith("0\n")
                .contains("InvalidSignatureException", "valid region");
        awaitRows("actor=access%20key%20" + key[0] + "&action=AuthenticationFailed", 3);
    }
}
