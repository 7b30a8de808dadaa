package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.cli.Meshplane;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code meshplane} command's server commands, run in-process against the real server (authentication on) and
 * its PostgreSQL: {@code diff} exits 6 and stores nothing, {@code apply --dry-run} stores nothing, {@code apply}
 * creates, a second {@code diff} exits 0, an edit shows field by field; {@code get} and {@code proxies}; a bearer
 * token and SigV4 from the AWS CLI's variables (signed by the SDK's signer); and each exit code.
 */
class MeshplaneCliTest extends AuthenticatedServerTest {

    record Run(int code, String out, String err) {
    }

    private Run meshplane(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Meshplane.commandLine(environment);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Map<String, String> withToken() {
        return Map.of("MESHPLANE_ENDPOINT", "http://localhost:" + port, "MESHPLANE_TOKEN", ADMIN);
    }

    private static String manifests(String mesh, int port) {
        return """
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: Mesh
                metadata: {name: %s}
                ---
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: VirtualNode
                metadata: {name: web, namespace: shop}
                spec:
                  listeners: [{portMapping: {port: %d, protocol: http}}]
                  serviceDiscovery: {dns: {hostname: web.shop.svc.cluster.local}}
                """.formatted(mesh, port);
    }

    private int meshStatus(String mesh) throws Exception {
        return call("GET", "/v20190125/meshes/" + mesh, null, ADMIN).statusCode();
    }

    /**
     * The launcher script and the shaded jar as a CI job runs them: the process's exit code is what a script branches
     * on (0 done, 2 usage, 4 refused by the server). The jar is cli's package-phase output, which the reactor builds
     * before control-plane's tests in {@code mvn verify}.
     */
    @Test
    void theLauncherScriptExitsWithTheCommandsCode() throws Exception {
        Path launcher = Path.of("..", "cli", "meshplane").toAbsolutePath().normalize();
        assertThat(launcher.resolveSibling("target/meshplane-cli.jar")).as("cli's package phase output").exists();
        assertThat(launch(launcher, Map.of(), "--help").code()).isZero();
        assertThat(launch(launcher, Map.of(), "no-such-command").code()).isEqualTo(2);
        Run listed = launch(launcher, withToken(), "get", "mesh");
        assertThat(listed.code()).as(listed.err()).isZero();
        Run refused = launch(launcher, Map.of("MESHPLANE_ENDPOINT", "http://localhost:" + port, "MESHPLANE_TOKEN",
                "not-a-token"), "get", "mesh");
        assertThat(refused.code()).as(refused.err()).isEqualTo(4);
    }

    private static Run launch(Path launcher, Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(launcher.toString());
        builder.command().addAll(java.util.List.of(args));
        builder.environment().keySet().removeIf(name -> name.startsWith("MESHPLANE_") || name.startsWith("AWS_"));
        builder.environment().putAll(environment);
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path out = Files.createTempFile("meshplane-out", ".txt");
        Path err = Files.createTempFile("meshplane-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void diffApplyGetAndProxiesWithABearerToken(@TempDir Path dir) throws Exception {
        String mesh = uniqueName("cli");
        Path file = dir.resolve("mesh.yaml");
        Files.writeString(file, manifests(mesh, 8080));

        Run diff = meshplane(withToken(), "diff", "-f", file.toString());
        assertThat(diff.code()).as(diff.err()).isEqualTo(6);
        // a dry run says what it would do, not "created": nothing was
        assertThat(diff.out()).isEqualTo("would create Mesh '" + mesh + "'\n"
                + "would create VirtualNode 'web_shop' in mesh '" + mesh + "'\n");
        Run dryRun = meshplane(withToken(), "apply", "-f", dir.toString(), "--dry-run");
        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).isEqualTo(diff.out());
        assertThat(meshStatus(mesh)).as("diff and a dry run store nothing").isEqualTo(404);

        Run applied = meshplane(withToken(), "apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).isEqualTo("created Mesh '" + mesh + "'\n"
                + "created VirtualNode 'web_shop' in mesh '" + mesh + "'\n");
        assertThat(meshStatus(mesh)).isEqualTo(200);
        Run same = meshplane(withToken(), "diff", "-f", file.toString());
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.out()).isEmpty();

        Files.writeString(file, manifests(mesh, 9090));
        Run edited = meshplane(withToken(), "diff", "-f", file.toString());
        assertThat(edited.code()).isEqualTo(6);
        assertThat(edited.out()).isEqualTo("would update VirtualNode 'web_shop' in mesh '" + mesh + "'\n"
                + "    spec.listeners[0].portMapping.port: 8080 -> 9090\n");
        Run json = meshplane(withToken(), "apply", "-f", file.toString(), "--output", "json");
        assertThat(json.code()).as(json.err()).isZero();
        var plan = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.out());
        assertThat(plan.path("dryRun").asBoolean()).isFalse();
        assertThat(plan.path("plan").findValuesAsString("action")).containsExactly("unchanged", "updated");

        Run node = meshplane(withToken(), "get", "virtualNode", "web_shop", "--mesh", mesh);
        assertThat(node.code()).as(node.err()).isZero();
        assertThat(node.out()).contains("\"virtualNodeName\" : \"web_shop\"").contains("9090");
        // timestamps as the API writes them (epoch seconds with a fraction), not re-printed from a double (1.79E9)
        String described = call("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/web_shop", null, ADMIN).body();
        java.util.regex.Matcher createdAt = java.util.regex.Pattern.compile("\"createdAt\":([0-9.]+)[,}]").matcher(described);
        assertThat(createdAt.find()).as(described).isTrue();
        assertThat(node.out()).contains("\"createdAt\" : " + createdAt.group(1) + ",");
        Run list = meshplane(withToken(), "get", "virtualNode", "--mesh", mesh);
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("web_shop");
        Run missing = meshplane(withToken(), "get", "virtualNode", "nothing", "--mesh", mesh);
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.err()).startsWith("meshplane: NotFoundException (404): ");
        Run noRouter = meshplane(withToken(), "get", "route", "--mesh", mesh);
        assertThat(noRouter.code()).isEqualTo(2);
        assertThat(noRouter.err()).contains("get route needs --router");

        // export from the server, in each format, and what it prints applies back as no change
        for (String format : java.util.List.of("json", "k8s", "cloudformation")) {
            Run exported = meshplane(withToken(), "export", "--mesh", mesh, "--format", format, "--namespace", "shop");
            assertThat(exported.code()).as(exported.err()).isZero();
            Path copy = Files.writeString(dir.resolve("exported-" + format + (format.equals("k8s") ? ".yaml" : ".json")),
                    exported.out());
            assertThat(exported.out()).contains("web_shop");
            Run back = meshplane(withToken(), "diff", "-f", copy.toString());
            assertThat(back.code()).as(format + ": " + back.out() + back.err()).isZero();
        }
        Run nothingToExport = meshplane(withToken(), "export", "--format", "k8s");
        assertThat(nothingToExport.code()).isEqualTo(2);
        assertThat(nothingToExport.err()).contains("--mesh NAME to export that mesh from the server");

        Run proxies = meshplane(withToken(), "proxies", "--output", "json");
        assertThat(proxies.code()).as(proxies.err()).isZero();
        assertThat(proxies.out()).contains("\"proxies\"");
    }

    @Test
    void exitCodesNameWhatWentWrong(@TempDir Path dir) throws Exception {
        String mesh = uniqueName("cli");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, manifests(mesh, 70000));
        Run refused = meshplane(withToken(), "apply", "-f", bad.toString());
        assertThat(refused.code()).isEqualTo(4);
        // the document the user wrote takes the place of the position in the converted document (resources[1])
        assertThat(refused.err()).startsWith("meshplane: BadRequestException (400): " + bad + "#1 (virtual node"
                + " 'web_shop' in mesh '" + mesh + "'): spec.listeners[0].portMapping.port: ");
        assertThat(meshStatus(mesh)).isEqualTo(404);

        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Gizmo\nmetadata: {name: g}\n");
        Run invalid = meshplane(withToken(), "apply", "-f", unknown.toString());
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err()).startsWith("meshplane: " + unknown + "#0").contains("Gizmo");

        Run unreadable = meshplane(withToken(), "diff", "-f", dir.resolve("absent.yaml").toString());
        assertThat(unreadable.code()).isEqualTo(3);

        Path good = dir.resolve("good.yaml");
        Files.writeString(good, manifests(mesh, 8080));
        Run anonymous = meshplane(Map.of("MESHPLANE_ENDPOINT", "http://localhost:" + port), "apply", "-f", good.toString());
        assertThat(anonymous.code()).isEqualTo(4);
        assertThat(anonymous.err()).contains("(401)");
        Run wrongToken = meshplane(Map.of("MESHPLANE_ENDPOINT", "http://localhost:" + port), "get", "mesh",
                "--token", "not-a-token");
        assertThat(wrongToken.code()).isEqualTo(4);

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run unreachable = meshplane(withToken(), "get", "mesh", "--endpoint", "http://localhost:" + closed);
        assertThat(unreachable.code()).isEqualTo(5);
        assertThat(unreachable.err()).startsWith("meshplane: cannot reach http://localhost:" + closed);
        assertThat(meshplane(withToken(), "get", "mesh", "--endpoint", "ftp://x").code()).isEqualTo(2);
        assertThat(meshStatus(mesh)).isEqualTo(404);
    }

    @Test
    void theAwsCliVariablesSignWithSigV4(@TempDir Path dir) throws Exception {
        String mesh = meshWithNodes();
        String[] key = accessKey("cli-sigv4", "editor", mesh);
        Map<String, String> aws = new HashMap<>(Map.of("MESHPLANE_ENDPOINT", "http://localhost:" + port,
                "AWS_ACCESS_KEY_ID", key[0], "AWS_SECRET_ACCESS_KEY", key[1], "AWS_DEFAULT_REGION", "us-east-1"));

        Run node = meshplane(aws, "get", "virtualNode", "api", "--mesh", mesh);
        assertThat(node.code()).as(node.err()).isZero();
        assertThat(node.out()).contains("\"virtualNodeName\" : \"api\"");

        // a signed body: the payload's hash is part of the signature
        Path file = dir.resolve("node.json");
        Files.writeString(file, """
                {"resources": [{"kind": "VirtualNode", "meshName": "%s", "virtualNodeName": "signed",
                  "spec": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                           "serviceDiscovery": {"dns": {"hostname": "signed.local"}}}}]}""".formatted(mesh));
        Run applied = meshplane(aws, "apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).isEqualTo("created VirtualNode 'signed' in mesh '" + mesh + "'\n");

        aws.put("AWS_SECRET_ACCESS_KEY", key[1] + "x");
        Run wrongSecret = meshplane(aws, "get", "virtualNode", "api", "--mesh", mesh);
        assertThat(wrongSecret.code()).isEqualTo(4);
        assertThat(wrongSecret.err()).contains("(401)").contains("the signature does not match");
        aws.remove("AWS_SECRET_ACCESS_KEY");
        assertThat(meshplane(aws, "get", "virtualNode", "api", "--mesh", mesh).code()).isEqualTo(2);
    }

    /** What POST /v1/apply takes in JSON, the command takes from files too: authorization policies, in YAML. */
    @Test
    void applyCarriesAuthorizationPoliciesFromYaml(@TempDir Path dir) throws Exception {
        String mesh = uniqueName("cli-policy");
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                resources:
                  - {kind: Mesh, meshName: %1$s}
                  - kind: VirtualNode
                    meshName: %1$s
                    virtualNodeName: api
                    spec:
                      listeners: [{portMapping: {port: 8080, protocol: http}}]
                      serviceDiscovery: {dns: {hostname: api.local}}
                  - kind: AuthorizationPolicy
                    meshName: %1$s
                    policyName: deny-admin
                    spec:
                      targets: {virtualNodes: [api]}
                      action: DENY
                      rules: [{to: {prefixes: [/admin]}}]
                """.formatted(mesh));
        Run applied = meshplane(withToken(), "apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("created AuthorizationPolicy 'deny-admin' in mesh '" + mesh + "'\n");
        var policy = call("GET", "/v1/meshes/" + mesh + "/authorizationPolicies/deny-admin", null, ADMIN);
        assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);
        assertThat(policy.body()).contains("/admin");
        Run same = meshplane(withToken(), "diff", "-f", file.toString());
        assertThat(same.code()).as(same.out() + same.err()).isZero();

        Path bad = dir.resolve("bad-policy.yaml");
        Files.writeString(bad, """
                resources:
                  - kind: AuthorizationPolicy
                    meshName: %s
                    policyName: wide
                    spec: {targets: {virtualNodes: [api]}, action: DENY, rules: [{from: {ipBlocks: [10.0.0.0/33]}}]}
                """.formatted(mesh));
        Run refused = meshplane(withToken(), "apply", "-f", bad.toString());
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).startsWith("meshplane: BadRequestException (400): " + bad + "#0 (authorization policy"
                + " 'wide' in mesh '" + mesh + "'): spec.rules[0].from.ipBlocks[0]: ");
        assertThat(call("GET", "/v1/meshes/" + mesh + "/authorizationPolicies/wide", null, ADMIN).statusCode()).isEqualTo(404);
    }
}
