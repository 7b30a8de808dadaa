package dev.meshplane.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.cli.ExitCodes;
import dev.meshplane.cli.Meshplane;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ImportExportCommandTest {

    private static final String MANIFESTS = """
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: VirtualNode
            metadata: {name: web-v1, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              listeners:
                - portMapping: {port: 8080, protocol: http}
                  tls:
                    mode: STRICT
                    certificate:
                      acm: {certificateARN: "arn:aws:acm:eu-west-1:111122223333:certificate/x"}
              serviceDiscovery: {dns: {hostname: web-v1.shop.svc.cluster.local}}
            ---
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: VirtualService
            metadata: {name: web, namespace: shop}
            spec:
              provider:
                virtualNode:
                  virtualNodeRef: {name: web-v1}
            """;

    @TempDir
    Path folder;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Meshplane.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void importPrintsTheApplyDocumentAndNotesWhatItDropped() throws IOException {
        Path manifests = Files.writeString(folder.resolve("web.yaml"), MANIFESTS);

        Run run = run("import", manifests.toString(), "--mesh", "shop", "--acm=built-in");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode document = JsonMapper.builder().build().readTree(run.out());
        // an apply document lists kinds in ResourceKind's order: services before nodes
        assertThat(document.at("/resources/0/kind").asString()).isEqualTo("VirtualService");
        assertThat(document.at("/resources/0/virtualServiceName").asString()).isEqualTo("web.shop");
        assertThat(document.at("/resources/0/spec/provider/virtualNode/virtualNodeName").asString()).isEqualTo("web-v1_shop");
        assertThat(document.at("/resources/1/kind").asString()).isEqualTo("VirtualNode");
        assertThat(document.at("/resources/1/virtualNodeName").asString()).isEqualTo("web-v1_shop");
        assertThat(document.at("/resources/1/spec/listeners/0/tls/certificate/sds/secretName").asString())
                .isEqualTo("meshplane:identity");
        assertThat(run.err()).contains("meshplane: note: " + manifests + "#0 (VirtualNode 'web-v1'): spec.podSelector");
    }

    @Test
    void refusedInputExitsOneNamingDocumentAndField() throws IOException {
        Path manifests = Files.writeString(folder.resolve("web.yaml"), MANIFESTS);

        Run run = run("import", folder.toString(), "--mesh", "shop");

        assertThat(run.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(manifests + "#0 (VirtualNode 'web-v1_shop' in mesh 'shop'): spec.listeners[0].tls.certificate.acm")
                .contains("acm=built-in");
    }

    @Test
    void aWrongAcmValueIsAUsageError() throws IOException {
        Path manifests = Files.writeString(folder.resolve("web.yaml"), MANIFESTS);

        assertThat(run("import", manifests.toString(), "--acm=aws").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("import", folder.resolve("missing.yaml").toString()).code()).isEqualTo(ExitCodes.IO_ERROR);
    }

    @Test
    void exportInEachFormatImportsBackToTheSameDocument() throws IOException {
        Path manifests = Files.writeString(folder.resolve("web.yaml"), MANIFESTS);
        Run imported = run("import", manifests.toString(), "--mesh", "shop", "--acm=built-in");
        Path document = Files.writeString(folder.resolve("document.json"), imported.out());

        for (String format : new String[] {"json", "k8s", "cloudformation"}) {
            Run exported = run("export", document.toString(), "--format", format);
            assertThat(exported.code()).as(format + ": " + exported.err()).isEqualTo(ExitCodes.OK);
            Path file = Files.writeString(folder.resolve("exported-" + format + ".txt.yaml"), exported.out());
            // the input holds no Mesh, so the Kubernetes objects carry no meshRef: --mesh names it, as for the seed
            Run again = run("import", file.toString(), "--mesh", "shop");
            assertThat(again.code()).as(format + ": " + again.err()).isEqualTo(ExitCodes.OK);
            assertThat(again.out()).as(format).isEqualTo(imported.out());
        }
    }

    @Test
    void authorizationPoliciesImportAsWrittenAndExportNamesWhyItCannotWriteThem() throws IOException {
        Path policy = Files.writeString(folder.resolve("policy.yaml"), """
                resources:
                  - kind: AuthorizationPolicy
                    meshName: shop
                    policyName: deny-admin
                    spec: {targets: {virtualNodes: [web]}, action: DENY, rules: [{to: {prefixes: [/admin]}}]}
                """);
        Run imported = run("import", policy.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        JsonNode item = JsonMapper.builder().build().readTree(imported.out()).get("resources").get(0);
        assertThat(item.path("kind").asString()).isEqualTo("AuthorizationPolicy");
        assertThat(item.path("policyName").asString()).isEqualTo("deny-admin");
        assertThat(item.at("/spec/rules/0/to/prefixes/0").asString()).isEqualTo("/admin");

        // App Mesh's formats have no such resource: dropped silently, it would be lost on the way back
        Run exported = run("export", policy.toString(), "--format", "k8s");
        assertThat(exported.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(exported.out()).isEmpty();
        assertThat(exported.err()).startsWith("meshplane: AuthorizationPolicy 'deny-admin' in mesh 'shop': json, k8s and"
                + " cloudformation are App Mesh's formats");
    }

    /**
     * README's migration in five commands: step 2 applies the seed's manifests, step 3 issues a proxy key for a node
     * of that mesh, step 4 keeps the task definition's node id. The Envoy connects as that id, so the manifests must
     * create exactly that node in exactly that mesh (they named the mesh 'mylearning' while the task names
     * 'mylearning-prod-mesh', and the key was refused to the Envoy).
     */
    @Test
    void theSeedsTaskDefinitionNamesANodeTheSeedsManifestsCreate() throws IOException {
        Path seed = Path.of("..", "api", "src", "test", "resources", "importing", "seed").toAbsolutePath().normalize();
        Run imported = run("import", seed.toString(), "--acm=built-in", "--router", "user-service-router");
        assertThat(imported.code()).as(imported.err()).isZero();
        JsonMapper json = JsonMapper.builder().build();
        String nodeId = null;
        for (JsonNode container : json.readTree(Path.of("src", "test", "resources", "migrate", "mylearning-user-service.json")
                .toFile()).get("containerDefinitions")) {
            for (JsonNode variable : container.path("environment")) {
                if (variable.path("name").asString().equals("APPMESH_VIRTUAL_NODE_NAME")) {
                    nodeId = variable.path("value").asString();
                }
            }
        }
        assertThat(nodeId).isEqualTo("mesh/mylearning-prod-mesh/virtualNode/user-service-v1");
        String[] id = nodeId.split("/");
        JsonNode resources = json.readTree(imported.out()).get("resources");
        assertThat(resources).anySatisfy(r -> {
            assertThat(r.path("kind").asString()).isEqualTo("Mesh");
            assertThat(r.path("meshName").asString()).isEqualTo(id[1]);
        });
        assertThat(resources).anySatisfy(r -> {
            assertThat(r.path("kind").asString()).isEqualTo("VirtualNode");
            assertThat(r.path("meshName").asString()).isEqualTo(id[1]);
            assertThat(r.path("virtualNodeName").asString()).isEqualTo(id[3]);
        });
    }

    @Test
    void aFolderLinkingToAFileOutsideItIsRefused(@TempDir Path elsewhere) throws IOException {
        // a link in a checked-out folder made "import manifests/" read (and apply send) any file the job can read
        Files.writeString(folder.resolve("web.yaml"), MANIFESTS);
        Path secret = Files.writeString(elsewhere.resolve("credentials"), "aws_secret_access_key: s3cret\n");
        Path link = Files.createSymbolicLink(folder.resolve("zz.yaml"), secret);

        Run run = run("import", folder.toString(), "--mesh", "shop", "--acm=built-in");

        assertThat(run.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(link + ": a symbolic link to " + secret.toRealPath() + ", outside the folder "
                + folder).doesNotContain("s3cret");
        Files.delete(link);
        Files.createSymbolicLink(folder.resolve("zz.yaml"), folder.resolve("web.yaml").getFileName());
        assertThat(run("import", folder.toString(), "--mesh", "shop", "--acm=built-in").err())
                .as("a link within the folder reads as its target").contains("zz.yaml#0 (VirtualNode 'web-v1'): the same object as");
    }
}
