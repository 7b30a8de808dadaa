package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.swagger.v3.oas.annotations.Operation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11's permission matrix, generated: every handler Spring routes to (read from each
 * {@link RequestMappingInfoHandlerMapping}: App Mesh, registry, proxies, policies, CA, credentials,
 * audit, bootstrap, the actuator, the API description) and every xDS/SDS request kind, against
 * every kind of caller (none, bearer token, access key signed by the AWS SDK's own SigV4 signer,
 * proxy token) with each role (viewer, editor, admin on mesh A, admin on every mesh, a proxy of
 * mesh A), aimed at mesh A (their own) and mesh B (another). The expected outcome comes from one
 * table keyed by operation ({@link #EXPECTED}); a handler without a row fails the test, and so
 * does one of ours without a {@code @PreAuthorize} rule.
 *
 * <p>Each request is also sent spelled otherwise: a path parameter on every segment ({@code ;x}) must be
 * refused with 400 whoever asks, a percent-encoded letter in every segment must not change
 * the status at all; a trailing slash and
 * an upper-case path may only fall to 404 (no such route); duplicated query parameters (the second
 * naming the other mesh) and duplicated JSON keys (one per mesh) may only fall to 400. So no
 * variant turns a refusal into anything but the same refusal, a 400 or a 404, and nothing may
 * answer 5xx. Requests are chosen not to change the fixtures: a DELETE names what does not exist.
 */
// these tests count refusal rows one by one: the audit throttle stays out of their way (BookkeepingTest tests it)
@TestPropertySource(properties = {"meshplane.security.authentication=enabled",
        "meshplane.security.bootstrap-admin-token=bootstrap-secret-for-tests",
        "meshplane.audit.refusals-per-caller=100000", "meshplane.audit.refusals-per-window=100000"})
class PermissionMatrixTest extends ServerTest {

    private static final String ADMIN = "bootstrap-secret-for-tests";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Who may call an operation. */
    enum Rule {
        /** Anyone, without credentials. */
        OPEN,
        /** The role on the mesh the call names (by path, by resourceArn, or as the mesh selecting a registry service). */
        MESH_VIEWER, MESH_EDITOR, MESH_ADMIN,
        /** Admin on every mesh ({@code *}). */
        ALL_ADMIN,
        /** Viewer on every mesh ({@code *}): the metrics, which name every mesh. */
        ALL_VIEWER,
        /** Any role on any mesh; what is shown is then filtered (proxies). */
        ANY_VIEWER,
        /** Editor or admin on any mesh; each resource it would change is then decided on its own (apply). */
        ANY_EDITOR,
        /** The node's own proxy credential only (proxy token or proxy access key): a private key over REST. */
        CERTIFICATE,
        /** The node's own proxy credential only: its secrets over SDS. */
        OWN_PROXY,
        /** The node's own proxy credential, or an admin of its mesh: its configuration over xDS, never a secret. */
        PROXY_CONFIGURATION
    }

    /** The expectation table: one row per operation (operationId, or method and path for handlers not ours). */
    static final Map<String, Rule> EXPECTED = new LinkedHashMap<>();

    static {
        for (String kind : List.of("VirtualNode", "VirtualService", "VirtualRouter", "VirtualGateway", "Route",
                "GatewayRoute")) {
            EXPECTED.put("Create" + kind, Rule.MESH_EDITOR);
            EXPECTED.put("Update" + kind, Rule.MESH_EDITOR);
            EXPECTED.put("Delete" + kind, Rule.MESH_EDITOR);
            EXPECTED.put("Describe" + kind, Rule.MESH_VIEWER);
            EXPECTED.put("List" + kind + "s", Rule.MESH_VIEWER);
        }
        EXPECTED.put("CreateMesh", Rule.ALL_ADMIN);
        EXPECTED.put("ListMeshes", Rule.ANY_VIEWER);
        EXPECTED.put("DescribeMesh", Rule.MESH_VIEWER);
        EXPECTED.put("UpdateMesh", Rule.MESH_ADMIN);
        EXPECTED.put("DeleteMesh", Rule.MESH_ADMIN);
        EXPECTED.put("ListTagsForResource", Rule.MESH_VIEWER);
        EXPECTED.put("TagResource", Rule.MESH_EDITOR);
        EXPECTED.put("UntagResource", Rule.MESH_EDITOR);
        EXPECTED.put("RegisterInstance", Rule.MESH_EDITOR);
        EXPECTED.put("DeregisterInstance", Rule.MESH_EDITOR);
        EXPECTED.put("DescribeInstance", Rule.MESH_VIEWER);
        EXPECTED.put("ListInstances", Rule.MESH_VIEWER);
        EXPECTED.put("ListProxies", Rule.ANY_VIEWER);
        EXPECTED.put("DescribeProxyConfig", Rule.ANY_VIEWER);
        EXPECTED.put("DescribeMeshMtls", Rule.MESH_VIEWER);
        EXPECTED.put("ExportMesh", Rule.MESH_VIEWER);
        EXPECTED.put("UpdateMeshMtls", Rule.MESH_ADMIN);
        EXPECTED.put("DescribeMeshTraffic", Rule.MESH_VIEWER);
        EXPECTED.put("DescribeMeshGraph", Rule.MESH_VIEWER);
        EXPECTED.put("GetVirtualNodeCertificate", Rule.CERTIFICATE);
        EXPECTED.put("DescribeMeshCertificateAuthority", Rule.MESH_VIEWER);
        EXPECTED.put("ImportMeshCertificateAuthority", Rule.MESH_ADMIN);
        EXPECTED.put("RotateMeshCertificateAuthority", Rule.MESH_ADMIN);
        EXPECTED.put("EndMeshCertificateAuthorityOverlap", Rule.MESH_ADMIN);
        EXPECTED.put("ListAuthorizationPolicies", Rule.MESH_VIEWER);
        EXPECTED.put("DescribeAuthorizationPolicy", Rule.MESH_VIEWER);
        EXPECTED.put("PutAuthorizationPolicy", Rule.MESH_ADMIN);
        EXPECTED.put("DeleteAuthorizationPolicy", Rule.MESH_ADMIN);
        EXPECTED.put("DescribeMeshTracing", Rule.MESH_VIEWER);
        EXPECTED.put("PutMeshTracing", Rule.MESH_ADMIN);
        EXPECTED.put("DeleteMeshTracing", Rule.MESH_ADMIN);
        EXPECTED.put("GetVirtualNodeBootstrap", Rule.MESH_VIEWER);
        EXPECTED.put("GetVirtualGatewayBootstrap", Rule.MESH_VIEWER);
        EXPECTED.put("GetXdsCertificateAuthority", Rule.OPEN);
        EXPECTED.put("IssueApiToken", Rule.ALL_ADMIN);
        EXPECTED.put("IssueAccessKey", Rule.ALL_ADMIN);
        EXPECTED.put("IssueProxyToken", Rule.MESH_ADMIN);
        EXPECTED.put("IssueProxyAccessKey", Rule.MESH_ADMIN);
        EXPECTED.put("RevokeProxyAccessKey", Rule.MESH_ADMIN);
        EXPECTED.put("ListCredentials", Rule.ALL_ADMIN);
        EXPECTED.put("RevokeCredential", Rule.ALL_ADMIN);
        EXPECTED.put("RevokeProxyToken", Rule.MESH_ADMIN);
        EXPECTED.put("ListAuditEntries", Rule.ALL_ADMIN);
        EXPECTED.put("ApplyResources", Rule.ANY_EDITOR);
        EXPECTED.put("GET /error", Rule.OPEN);
        EXPECTED.put("GET /v3/api-docs", Rule.OPEN);
        EXPECTED.put("GET /v3/api-docs.yaml", Rule.OPEN);
        EXPECTED.put("GET /v3/api-docs/{group}", Rule.OPEN);
        EXPECTED.put("GET /v3/api-docs.yaml/{group}", Rule.OPEN);
        EXPECTED.put("GET /v3/api-docs/swagger-config", Rule.OPEN);
        EXPECTED.put("GET /swagger-ui.html", Rule.OPEN);
        EXPECTED.put("GET /actuator", Rule.ALL_ADMIN);
        EXPECTED.put("GET /actuator/health", Rule.OPEN);
        EXPECTED.put("GET /actuator/health/**", Rule.OPEN);
        EXPECTED.put("GET /actuator/info", Rule.OPEN);
        EXPECTED.put("GET /actuator/prometheus", Rule.ALL_VIEWER);
        // xDS and SDS over ADS (Principal.xds): a proxy credential for its own node gets all; an admin of the
        // mesh its configuration only; viewers, editors and anonymous streams nothing
        EXPECTED.put("xDS CDS", Rule.PROXY_CONFIGURATION);
        EXPECTED.put("xDS LDS", Rule.PROXY_CONFIGURATION);
        EXPECTED.put("SDS meshplane:identity", Rule.OWN_PROXY);
        EXPECTED.put("SDS meshplane:trust", Rule.OWN_PROXY);
    }

    /** A kind of credential: none, an API bearer token, a SigV4 access key (of an API role or of role proxy), a proxy token. */
    enum Kind {
        NONE, BEARER, ACCESS_KEY, PROXY_TOKEN
    }

    /** One column's caller: its credential kind, role, whether it holds every mesh, and its secret(s). */
    record Caller(String label, Kind kind, String role, boolean allMeshes, String token, String keyId, String keySecret) {
    }

    enum Outcome {
        ALLOWED, UNAUTHENTICATED, FORBIDDEN
    }

    /** One handler to call: its key, method, path pattern and whether it takes resourceArn. */
    record Row(String key, String method, String pattern, boolean takesArn) {
    }

    /** One request as sent: method, path with query, body. */
    record Call(String method, String path, String body) {
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    AppMeshProperties appMeshProperties;

    @Autowired
    XdsServer xds;

    private String meshA;
    private String meshB;

    private static final List<String> ROLES = List.of("viewer", "editor", "admin");

    @Test
    void everyOperationEveryCallerEveryMeshEverySpelling() throws Exception {
        meshA = fixtureMesh("ma");
        meshB = fixtureMesh("mb");
        List<Caller> callers = callers();
        List<Row> rows = rows();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Row row : rows) {
            for (Caller caller : callers) {
                for (String target : List.of(meshA, meshB)) {
                    Outcome expected = expected(EXPECTED.get(row.key()), caller, target.equals(meshA));
                    Call base = call(row, target);
                    int status = send(base, caller);
                    requests++;
                    if (outcome(status) != expected || status >= 500) {
                        failures.add(row.key() + " " + base.method() + " " + base.path() + " as " + caller.label()
                                + ": expected " + expected + ", got " + status);
                        continue;
                    }
                    for (Map.Entry<String, Call> variant : variants(base, target).entrySet()) {
                        int got = send(variant.getValue(), caller);
                        requests++;
                        if (!acceptable(variant.getKey(), status, got)) {
                            failures.add(row.key() + " " + variant.getKey() + " " + variant.getValue().method() + " "
                                    + variant.getValue().path() + " as " + caller.label() + ": plain got " + status
                                    + ", this got " + got);
                        }
                    }
                }
            }
        }
        int xdsRequests = xdsColumns(callers, failures);
        System.out.printf("Permission matrix: %d REST handlers x %d columns (%d callers x 2 meshes) = %d cells,"
                + " %d HTTP requests with their variants; %d xDS/SDS request kinds x %d columns = %d streams%n",
                rows.size(), callers.size() * 2, callers.size(), rows.size() * callers.size() * 2, requests, 4,
                xdsRequests / 4, xdsRequests);
        assertThat(failures).as("cells that do not hold").isEmpty();
    }

    @Test
    void everyHandlerHasAnExpectationAndEveryHandlerOfOursARule() {
        List<String> missing = new ArrayList<>();
        for (var mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                Method method = entry.getValue().getMethod();
                if (method.getDeclaringClass().getName().startsWith("dev.meshplane")
                        && !AnnotatedElementUtils.hasAnnotation(method, PreAuthorize.class)) {
                    missing.add(method + " has no @PreAuthorize rule");
                }
            }
        }
        rows().stream().filter(row -> !EXPECTED.containsKey(row.key()))
                .forEach(row -> missing.add(row.key() + " (" + row.method() + " " + row.pattern() + ") has no row in EXPECTED"));
        assertThat(missing).isEmpty();
    }

    /** Every handler of every request mapping, one row per HTTP method and path pattern. */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (var mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                RequestMappingInfo info = entry.getKey();
                Method method = entry.getValue().getMethod();
                Operation operation = AnnotatedElementUtils.findMergedAnnotation(method, Operation.class);
                boolean takesArn = java.util.Arrays.stream(method.getParameters()).anyMatch(p ->
                        p.isAnnotationPresent(RequestParam.class) && "resourceArn".equals(
                                p.getAnnotation(RequestParam.class).value()));
                var methods = info.getMethodsCondition().getMethods().isEmpty() ? List.of("GET")
                        : info.getMethodsCondition().getMethods().stream().map(Enum::name).toList();
                for (String pattern : info.getPatternValues()) {
                    for (String httpMethod : methods) {
                        String key = operation != null && !operation.operationId().isEmpty() ? operation.operationId()
                                : httpMethod + " " + pattern;
                        rows.add(new Row(key, httpMethod, pattern, takesArn));
                    }
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(Row::key).thenComparing(Row::pattern));
        return rows;
    }

    /** What the table says this caller gets from this rule, on its own mesh or on another. */
    static Outcome expected(Rule rule, Caller caller, boolean ownMesh) {
        if (rule == Rule.OPEN) {
            return Outcome.ALLOWED;
        }
        if (caller.kind() == Kind.NONE) {
            return Outcome.UNAUTHENTICATED;
        }
        if (caller.role().equals("proxy")) {
            // a proxy's credential (token or access key) serves its stream and reads its node's certificate, nothing else
            boolean proxyRule = rule == Rule.OWN_PROXY || rule == Rule.PROXY_CONFIGURATION || rule == Rule.CERTIFICATE;
            return proxyRule && ownMesh ? Outcome.ALLOWED : Outcome.FORBIDDEN;
        }
        int role = ROLES.indexOf(caller.role());
        boolean onTarget = caller.allMeshes() || ownMesh;
        boolean allowed = switch (rule) {
            case MESH_VIEWER -> onTarget;
            case MESH_EDITOR -> onTarget && role >= 1;
            case MESH_ADMIN, PROXY_CONFIGURATION -> onTarget && role >= 2;
            case ALL_ADMIN -> caller.allMeshes() && role >= 2;
            case ALL_VIEWER -> caller.allMeshes();
            case ANY_VIEWER, OPEN -> true;
            case ANY_EDITOR -> role >= 1;
            case OWN_PROXY, CERTIFICATE -> false;
        };
        return allowed ? Outcome.ALLOWED : Outcome.FORBIDDEN;
    }

    static Outcome outcome(int status) {
        return status == 401 ? Outcome.UNAUTHENTICATED : status == 403 ? Outcome.FORBIDDEN : Outcome.ALLOWED;
    }

    /** Whether a variant's status is one its plain request allows (see the class comment). */
    static boolean acceptable(String variant, int plain, int got) {
        if (got >= 500) {
            return false;
        }
        return switch (variant) {
            case "trailing slash", "upper case" -> got == plain || got == 404;
            case "duplicate query parameters", "duplicate JSON keys" -> got == plain || got == 400;
            // the firewall refuses a ';' before authentication and routing
            case "path parameter" -> got == 400;
            default -> got == plain;
        };
    }

    /** The request for a row aimed at a mesh: path variables filled in, resourceArn naming it, an empty JSON body. */
    private Call call(Row row, String mesh) {
        String pattern = row.pattern();
        if (pattern.endsWith("/**")) {
            pattern = pattern.substring(0, pattern.length() - 3) + (pattern.startsWith("/v1/proxies")
                    ? "/mesh/{meshName}/virtualNode/web/config" : "/readiness");
        }
        Matcher variable = Pattern.compile("\\{([^}]+)}").matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (variable.find()) {
            // a DELETE names what does not exist (404 when allowed), so the matrix never removes its own fixtures
            String value = row.method().equals("DELETE") && !variable.group(1).equals("meshName")
                    && !variable.group(1).equals("namespaceName") && !variable.group(1).equals("serviceName")
                    ? "absent" : value(variable.group(1), mesh);
            variable.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        variable.appendTail(path);
        String query = row.takesArn() ? "?resourceArn=" + arn(mesh) : "";
        boolean hasBody = row.method().equals("PUT") || row.method().equals("POST");
        return new Call(row.method(), path + query, hasBody ? "{}" : null);
    }

    private static String value(String variable, String mesh) {
        return switch (variable) {
            case "meshName" -> mesh;
            case "virtualNodeName", "nodeName", "name" -> "web";
            case "virtualGatewayName" -> "gw";
            case "virtualRouterName" -> "router";
            case "virtualServiceName" -> "svc.local";
            case "routeName", "gatewayRouteName" -> "r";
            case "policyName" -> "p";
            case "namespaceName" -> mesh + "-ns";
            case "serviceName" -> "svc";
            case "instanceId" -> "i-1";
            case "id" -> "no-such-credential";
            case "group" -> "default";
            default -> throw new AssertionError("the matrix has no value for path variable {" + variable + "}");
        };
    }

    /** The spellings of a request that must not change its outcome (see the class comment). */
    private Map<String, Call> variants(Call base, String mesh) {
        String other = mesh.equals(meshA) ? meshB : meshA;
        int q = base.path().indexOf('?');
        String path = q < 0 ? base.path() : base.path().substring(0, q);
        String query = q < 0 ? "" : base.path().substring(q);
        Map<String, Call> variants = new LinkedHashMap<>();
        variants.put("path parameter", new Call(base.method(), eachSegment(path, s -> s + ";x") + query, base.body()));
        variants.put("percent-encoded", new Call(base.method(), eachSegment(path, PermissionMatrixTest::encodeALetter) + query,
                base.body()));
        variants.put("trailing slash", new Call(base.method(), path + "/" + query, base.body()));
        variants.put("upper case", new Call(base.method(), path.toUpperCase(Locale.ROOT) + query, base.body()));
        variants.put("duplicate query parameters", new Call(base.method(), path + (query.isEmpty() ? "?x=1&x=2"
                : query + "&" + query.substring(1).replace(mesh, other)), base.body()));
        if (base.body() != null) {
            variants.put("duplicate JSON keys", new Call(base.method(), base.path(),
                    "{\"meshName\":\"" + mesh + "\",\"meshName\":\"" + other + "\"}"));
        }
        return variants;
    }

    private static String eachSegment(String path, java.util.function.UnaryOperator<String> change) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.substring(1).split("/", -1)) {
            out.append('/').append(segment.isEmpty() ? segment : change.apply(segment));
        }
        return out.toString();
    }

    private static String encodeALetter(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isLetter(c) && c < 128) {
                return segment.substring(0, i) + String.format("%%%02X", (int) c) + segment.substring(i + 1);
            }
        }
        return segment;
    }

    private String arn(String mesh) {
        return "arn:aws:appmesh:" + appMeshProperties.region() + ":" + appMeshProperties.accountId() + ":mesh/" + mesh;
    }

    /**
     * Sends a call as a caller: a bearer header, or a SigV4 signature by the AWS SDK's signer over the
     * exact bytes sent. Answers the status, negated for a 401 or 403 without App Mesh's error type.
     */
    private int send(Call call, Caller caller) throws Exception {
        URI uri = URI.create("http://localhost:" + port + call.path());
        byte[] body = call.body() == null ? new byte[0] : call.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(call.method(), call.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (caller.token() != null) {
            request.header("Authorization", "Bearer " + caller.token());
        }
        if (caller.kind() == Kind.ACCESS_KEY) {
            SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(call.method())).uri(uri)
                    .putHeader("Content-Type", "application/json").build();
            var signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(caller.keyId(), caller.keySecret()))
                    .request(unsigned)
                    .payload(() -> new java.io.ByteArrayInputStream(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "appmesh")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, appMeshProperties.region()));
            signed.request().headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) {
                    values.forEach(value -> request.header(name, value));
                }
            });
        }
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        String type = response.headers().firstValue("x-amzn-ErrorType").orElse("none");
        if ((status == 401 && !type.equals("UnauthorizedException")) || (status == 403 && !type.equals("ForbiddenException"))) {
            return -status; // a refusal not in App Mesh's shape fails its cell
        }
        return status;
    }

    /** A mesh with what the rows touch: node "web" (selecting registry service {@code <mesh>-ns/svc}), an instance, a tag. */
    private String fixtureMesh(String prefix) throws Exception {
        String mesh = uniqueName(prefix);
        admin("PUT", "/v20190125/meshes", "{\"meshName\":\"" + mesh + "\"}");
        admin("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"web\",\"spec\":"
                + "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],\"serviceDiscovery\":"
                + "{\"awsCloudMap\":{\"namespaceName\":\"" + mesh + "-ns\",\"serviceName\":\"svc\"}}}}");
        admin("PUT", "/v1/registry/" + mesh + "-ns/svc/instances/i-1",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\",\"AWS_INSTANCE_PORT\":\"80\"}}");
        admin("PUT", "/v20190125/tag?resourceArn=" + arn(mesh), "{\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
        return mesh;
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return json(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), 200);
    }

    /** The columns: no credentials; bearer tokens and access keys of each role on mesh A; admin on every mesh; a proxy of A. */
    private List<Caller> callers() throws Exception {
        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("no credentials", Kind.NONE, "none", false, null, null, null));
        for (String role : ROLES) {
            JsonNode token = admin("POST", "/v1/tokens", "{\"name\":\"matrix-" + role + "\",\"role\":\"" + role
                    + "\",\"meshes\":[\"" + meshA + "\"]}");
            callers.add(new Caller("bearer " + role + " of A", Kind.BEARER, role, false, token.get("token").asString(),
                    null, null));
            JsonNode key = admin("POST", "/v1/accessKeys", "{\"name\":\"matrix-key-" + role + "\",\"role\":\"" + role
                    + "\",\"meshes\":[\"" + meshA + "\"]}");
            callers.add(new Caller("access key " + role + " of A", Kind.ACCESS_KEY, role, false, null,
                    key.get("accessKeyId").asString(), key.get("secretAccessKey").asString()));
        }
        JsonNode all = admin("POST", "/v1/tokens", "{\"name\":\"matrix-admin-all\",\"role\":\"admin\",\"meshes\":[\"*\"]}");
        callers.add(new Caller("bearer admin of *", Kind.BEARER, "admin", true, all.get("token").asString(), null, null));
        JsonNode proxy = admin("POST", "/v1/meshes/" + meshA + "/proxyTokens", "{\"virtualNode\":\"web\"}");
        callers.add(new Caller("proxy token of A/web", Kind.PROXY_TOKEN, "proxy", false, proxy.get("token").asString(),
                null, null));
        JsonNode proxyKey = admin("POST", "/v1/meshes/" + meshA + "/proxyAccessKeys", "{\"virtualNode\":\"web\"}");
        callers.add(new Caller("proxy access key of A/web", Kind.ACCESS_KEY, "proxy", false, null,
                proxyKey.get("accessKeyId").asString(), proxyKey.get("secretAccessKey").asString()));
        return callers;
    }

    /**
     * The xDS/SDS columns: each request kind on an ADS stream for node {@code web} of mesh A and of
     * mesh B, as each caller: bearer credentials as the stream's authorization metadata, access keys
     * signing the stream as Envoy's AWS IAM gRPC credentials sign it.
     */
    private int xdsColumns(List<Caller> callers, List<String> failures) throws Exception {
        Map<String, DiscoveryRequest.Builder> kinds = new LinkedHashMap<>();
        kinds.put("xDS CDS", DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS));
        kinds.put("xDS LDS", DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.LDS));
        kinds.put("SDS meshplane:identity", DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.SDS)
                .addResourceNames("meshplane:identity"));
        kinds.put("SDS meshplane:trust", DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.SDS)
                .addResourceNames("meshplane:trust"));
        admin("PUT", "/v1/meshes/" + meshA + "/mtls", "{\"mode\":\"STRICT\"}");
        admin("PUT", "/v1/meshes/" + meshB + "/mtls", "{\"mode\":\"STRICT\"}");
        int streams = 0;
        for (Caller caller : callers) {
            for (Map.Entry<String, DiscoveryRequest.Builder> kind : kinds.entrySet()) {
                for (String mesh : List.of(meshA, meshB)) {
                    Outcome expected = expected(EXPECTED.get(kind.getKey()), caller, mesh.equals(meshA));
                    try (AdsStream stream = caller.kind() == Kind.ACCESS_KEY
                            ? new AdsStream(SignedRequests.channel(xds.port(), SignedRequests.signStream(xds.port(),
                                    caller.keyId(), caller.keySecret(), appMeshProperties.region(), "appmesh",
                                    java.time.Instant.now())))
                            : caller.token() == null ? new AdsStream(xds.port()) : new AdsStream(xds.port(), caller.token())) {
                        stream.send(kind.getValue().clone().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/web")).build());
                        var response = stream.next(expected == Outcome.ALLOWED ? 5000 : 1000);
                        streams++;
                        boolean served = response != null && response.getResourcesCount() > 0;
                        if (served != (expected == Outcome.ALLOWED)) {
                            failures.add(kind.getKey() + " for mesh/" + mesh + "/virtualNode/web as " + caller.label()
                                    + ": expected " + expected + ", " + (served ? "served" : "got nothing"));
                        }
                    }
                }
            }
        }
        return streams;
    }
}
