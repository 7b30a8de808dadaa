package dev.meshplane.api.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.meshplane.api.resource.ResourceKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Recognising formats, and refusing documents of none or malformed ones, naming document and field. */
class ImportsTest {

    @Test
    void aYamlErrorNamesTheDocumentItIsIn() {
        String yaml = "kind: Mesh\n---\nkind: [Mesh\n";
        assertThatThrownBy(() -> YamlDocuments.parse("two.yaml", yaml))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("two.yaml#1: not YAML")
                .hasMessageContaining("line 4");
    }

    @Test
    void jsonIsReadStrictlyTabsIncluded() {
        String tabbed = "{\n\t\"resources\": [\n\t\t{\"kind\": \"Mesh\", \"meshName\": \"m\"}\n\t]\n}";
        ImportResult result = Imports.read(YamlDocuments.parse("doc.json", tabbed), ImportOptions.none());
        assertThat(result.document().resources()).singleElement()
                .satisfies(r -> assertThat(r.kind()).isEqualTo(ResourceKind.MESH));
        assertThatThrownBy(() -> YamlDocuments.parse("dup.json", "{\"resources\": [], \"resources\": []}"))
                .hasMessageStartingWith("dup.json#0: not JSON: Duplicate");
        assertThatThrownBy(() -> YamlDocuments.parse("cut.json", "{\"resources\": [\n"))
                .hasMessageStartingWith("cut.json#0: not JSON")
                .hasMessageContaining("line 2");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "a: " + "[".repeat(80) + "]".repeat(80) + "\n";
        assertThatThrownBy(() -> YamlDocuments.parse("deep.yaml", deep))
                .hasMessageStartingWith("deep.yaml#0: nested deeper than 64 levels");
    }

    @Test
    void applyDocumentsAndDescribeOutputNameTheItemAndMember() {
        assertThatThrownBy(() -> Imports.read(YamlDocuments.parse("apply.json",
                "{\"resources\": [{\"kind\": \"Mesh\", \"meshName\": \"m\"}, {\"kind\": \"Cluster\"}]}"), ImportOptions.none()))
                .hasMessageStartingWith("apply.json#0: resources[1].kind: unknown kind 'Cluster'");
        assertThatThrownBy(() -> Imports.read(YamlDocuments.parse("describe.json",
                "{\"virtualNode\": {\"meshName\": \"m\", \"spec\": {}}}"), ImportOptions.none()))
                .hasMessage("describe.json#0.virtualNode.virtualNodeName: a name is needed");
        assertThatThrownBy(() -> Imports.read(YamlDocuments.parse("describe.json",
                "{\"virtualNode\": {\"meshName\": \"m\", \"virtualNodeName\": \"n\", \"spec\": {\"listeners\": {}}}}"),
                ImportOptions.none()))
                .hasMessage("describe.json#0.virtualNode.spec.listeners: a list is needed here, got object");
        assertThatThrownBy(() -> Imports.read(YamlDocuments.parse("other.yaml", "hello: world\n"), ImportOptions.none()))
                .hasMessageStartingWith("other.yaml#0: neither a CloudFormation template");
    }

    @Test
    void aResourceTwoDocumentsGiveIsRefusedNamingBoth() {
        String mesh = "{\"resources\": [{\"kind\": \"Mesh\", \"meshName\": \"m\"}]}";
        var documents = new java.util.ArrayList<>(YamlDocuments.parse("a.json", mesh));
        documents.addAll(YamlDocuments.parse("b.json", mesh));
        assertThatThrownBy(() -> Imports.read(documents, ImportOptions.none()))
                .hasMessage("b.json#0: Mesh 'm' in mesh 'm' is also given by a.json#0");
    }

    @Test
    void deeplyNestedYamlIsRefusedNamingTheDocumentNotOverflowingTheStack() {
        // the composer recurses per level: 5,000 levels overflowed its stack before the parser's events were checked
        String deep = "kind: Mesh\n---\na: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThatThrownBy(() -> YamlDocuments.parse("deep.yaml", deep))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("deep.yaml#1: nested deeper than ");
    }

    @Test
    void eachImportedResourceKeepsTheDocumentItWasReadFrom() {
        String yaml = """
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: Mesh
                metadata: {name: m}
                ---
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: VirtualNode
                metadata: {name: web, namespace: shop}
                spec:
                  meshRef: {name: m}
                """;
        ImportResult result = Imports.read(YamlDocuments.parse("k.yaml", yaml), ImportOptions.none());
        assertThat(result.document().resources()).extracting(ApplyResource::kind)
                .containsExactly(ResourceKind.MESH, ResourceKind.VIRTUAL_NODE);
        assertThat(result.sources()).containsExactly("k.yaml#0", "k.yaml#1");
    }

    @Test
    void authorizationPoliciesOfAnApplyDocumentInYamlAreCarriedAsWritten() {
        // what POST /v1/apply takes in JSON, the importers (so meshplane apply and YAML bodies) carry too
        String yaml = """
                resources:
                  - kind: AuthorizationPolicy
                    meshName: shop
                    policyName: deny-admin
                    version: 3
                    spec:
                      targets: {virtualNodes: [api]}
                      action: DENY
                      rules: [{to: {prefixes: [/admin]}}]
                  - {kind: Mesh, meshName: shop}
                """;
        var documents = new java.util.ArrayList<>(YamlDocuments.parse("policy.yaml", yaml));
        documents.addAll(YamlDocuments.parse("other.json", "{\"resources\": [{\"kind\": \"AuthorizationPolicy\","
                + " \"meshName\": \"shop\", \"policyName\": \"allow-all\", \"spec\": {\"action\": \"ALLOW\"}}]}"));
        ImportResult result = Imports.read(documents, ImportOptions.none());

        assertThat(result.document().resources()).extracting(ApplyResource::kind).containsExactly(ResourceKind.MESH);
        assertThat(result.document().toJson().get("resources").get(2).toString()).isEqualTo("{\"kind\":\"AuthorizationPolicy\","
                + "\"meshName\":\"shop\",\"policyName\":\"deny-admin\",\"spec\":{\"targets\":{\"virtualNodes\":[\"api\"]},"
                + "\"action\":\"DENY\",\"rules\":[{\"to\":{\"prefixes\":[\"/admin\"]}}]},\"version\":3}");
        assertThat(result.document().toJson().get("resources").get(1).path("policyName").asString()).isEqualTo("allow-all");
        assertThat(result.sources()).containsExactly("policy.yaml#0", "other.json#0", "policy.yaml#0");

        assertThatThrownBy(() -> Imports.read(YamlDocuments.parse("twice.yaml", yaml + "  - {kind: AuthorizationPolicy,"
                + " meshName: shop, policyName: deny-admin, spec: {action: ALLOW}}\n"), ImportOptions.none()))
                .hasMessage("twice.yaml#0: AuthorizationPolicy 'deny-admin' in mesh 'shop' is also given by twice.yaml#0");
        assertThatThrownBy(() -> Imports.read(YamlDocuments.parse("nospec.yaml",
                "resources: [{kind: AuthorizationPolicy, meshName: shop, policyName: p}]\n"), ImportOptions.none()))
                .hasMessage("nospec.yaml#0: resources[0].spec: an AuthorizationPolicy needs its spec (targets, action, rules)");
    }

    @Test
    void aliasesThatExpandBeyondTheTextAreRefusedAtOnce() {
        // "billion laughs" within snakeyaml-engine's 50 aliases: 24 levels of two aliases each, 2^25 values;
        // it ran out of memory after half a minute
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> YamlDocuments.parse("laughs.yaml",
                bomb.toString()))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("laughs.yaml#0: a")
                .hasMessageContaining("anchors and aliases expand to more values than the text holds"));
        // an anchor reused as defaults, as manifests do, still reads
        JsonNode reused = YamlDocuments.parse("defaults.yaml", """
                base: &base {port: 8080, protocol: http}
                listeners: [{portMapping: *base}, {portMapping: *base}]
                """).get(0).content();
        assertThat(reused.at("/listeners/1/portMapping/port").asInt()).isEqualTo(8080);
    }

    @Test
    void aKeyGivenTwiceInYamlIsRefusedNamingItsPathAndLine() {
        // snakeyaml-engine's setAllowDuplicateKeys(false) acts only when it constructs objects: composed nodes kept the last
        assertThatThrownBy(() -> YamlDocuments.parse("stack.yaml", """
                Resources:
                  M:
                    Type: AWS::AppMesh::Mesh
                    Type: AWS::IAM::Role
                """))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0: Resources.M.Type: given twice (again at line 4)");
        assertThatThrownBy(() -> YamlDocuments.parse("node.yaml", "kind: Mesh\n---\nspec:\n  listeners:\n  - {port: 1, port: 2}\n"))
                .hasMessage("node.yaml#1: spec.listeners[0].port: given twice (again at line 5)");
    }

    @Test
    void numbersJsonCannotHoldAreRefusedNamingTheirPath() {
        // a BigInteger beyond a long and YAML's .inf were an ArithmeticException and a NumberFormatException (500s)
        assertThatThrownBy(() -> YamlDocuments.parse("n.yaml", "spec: {listeners: [{port: 99999999999999999999999}]}\n"))
                .isInstanceOf(ImportException.class)
                .hasMessage("n.yaml#0: spec.listeners[0].port: 99999999999999999999999 is out of range: App Mesh's"
                        + " numbers fit in 64 bits");
        assertThatThrownBy(() -> YamlDocuments.parse("n.yaml", "spec: {x: " + "9".repeat(100_000) + "}\n"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("n.yaml#0: spec.x: 9999999999999999999999999999999999999999... is out of range");
        for (String notFinite : List.of(".inf", "-.inf", ".nan", "1e999")) {
            assertThatThrownBy(() -> YamlDocuments.parse("f.yaml", "a:\n  weight: " + notFinite + "\n"))
                    .isInstanceOf(ImportException.class)
                    .hasMessage("f.yaml#0: a.weight: " + notFinite + " is not a finite number (line 2)");
        }
        assertThat(YamlDocuments.parse("ok.yaml", "a: [9223372036854775807, -9223372036854775808, 1.5]\n").get(0)
                .content().toString()).isEqualTo("{\"a\":[9223372036854775807,-9223372036854775808,1.5]}");
    }
}
