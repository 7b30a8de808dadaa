package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.AppMeshException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every name the API lets one create can be described, tagged by its ARN and deleted, through the
 * AWS SDK for Java signing with SigV4 (it percent-encodes each path segment, the signer encodes it
 * once more, and the ARN travels in the query string). Example: a virtual node named with U+2028 was
 * created, then every path naming it was refused by the HTTP firewall, so neither it nor its mesh
 * could be deleted.
 */
class AddressableNamesTest extends AuthenticatedServerTest {

    /** Characters names refuse at create (BadInputTest): they cannot be one path segment. */
    private static final String REFUSED = "/\\;%";

    /** Every printable ASCII character a name may hold, and Unicode characters paths, firewalls and signers treat apart. */
    private static List<String> characters() {
        List<String> all = new ArrayList<>();
        for (char c = 0x20; c < 0x7f; c++) {
            if (REFUSED.indexOf(c) < 0) {
                all.add(String.valueOf(c));
            }
        }
        int[] unicode = {0xa0, 0xad, 0xe9, 0x301, 0x378, 0x1680, 0x2000, 0x200b, 0x200e, 0x2028, 0x2029, 0x202e, 0x2060,
            0x2215, 0x3000, 0x65e5, 0xe000, 0xfe68, 0xfeff, 0xff0e, 0xff0f, 0xff3c, 0xfffd, 0xfffe, 0xffff, 0x1f600, 0x10ffff};
        for (int c : unicode) {
            all.add(Character.toString(c));
        }
        return all;
    }

    private static String name(String c) {
        return "n" + c + "x";
    }

    private static String outcome(Supplier<Object> call) {
        try {
            call.get();
            return null;
        } catch (AppMeshException e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
    }

    @Test
    void everyNameThatCanBeCreatedCanBeDescribedTaggedAndDeleted() throws Exception {
        String mesh = uniqueName("names");
        // one transaction creates them all: a write per name would make this test slow
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode document = mapper.createObjectNode();
        ArrayNode resources = document.putArray("resources");
        resources.addObject().put("kind", "Mesh").put("meshName", mesh);
        for (String c : characters()) {
            resources.addObject().put("kind", "VirtualNode").put("meshName", mesh).put("virtualNodeName", name(c))
                    .putObject("spec");
        }
        ok(call("POST", "/v1/apply", mapper.writeValueAsString(document), ADMIN));
        var key = ok(call("POST", "/v1/accessKeys", "{\"name\":\"names\",\"role\":\"editor\",\"meshes\":[\"" + mesh + "\"]}", ADMIN));
        List<String> problems = new ArrayList<>();
        try (AppMeshClient sdk = appMeshClient(port, key.get("accessKeyId").asString(), key.get("secretAccessKey").asString())) {
            for (String c : characters()) {
                String name = name(c);
                String arn = "arn:aws:appmesh:us-east-1:123456789012:mesh/" + mesh + "/virtualNode/" + name;
                String shown = "U+%04X".formatted(c.codePointAt(0));
                String described = outcome(() -> sdk.describeVirtualNode(b -> b.meshName(mesh).virtualNodeName(name)));
                String listed = outcome(() -> sdk.listTagsForResource(b -> b.resourceArn(arn)));
                if (described != null || listed != null) {
                    problems.add(shown + " describe: " + described + "; listTags: " + listed);
                }
            }
            // the writes for the characters that were refused on some path
            for (String c : List.of("\u2028", "\u2029", " ", "+")) {
                String name = name(c);
                String arn = "arn:aws:appmesh:us-east-1:123456789012:mesh/" + mesh + "/virtualNode/" + name;
                String tagged = outcome(() -> sdk.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("k").value(name))));
                String deleted = outcome(() -> sdk.deleteVirtualNode(b -> b.meshName(mesh).virtualNodeName(name)));
                if (tagged != null || deleted != null) {
                    problems.add("U+%04X".formatted(c.codePointAt(0)) + " tag: " + tagged + "; delete: " + deleted);
                }
            }
            assertThat(problems).isEmpty();
        }
        ObjectNode empty = mapper.createObjectNode();
        empty.putArray("resources").addObject().put("kind", "Mesh").put("meshName", mesh);
        ok(call("POST", "/v1/apply?prune=true", mapper.writeValueAsString(empty), ADMIN));
        ok(call("DELETE", "/v20190125/meshes/" + mesh, null, ADMIN));
    }

    /**
     * Names of 255 characters in every path position at once, each character four bytes of UTF-8
     * (twelve once percent-encoded, the most a character takes): a route's path carries three such
     * names, its ARN in the query the same, beside the signed headers and a session token such as AWS
     * STS issues.
     */
    @Test
    void longestNamesInEveryPositionAreAddressable() throws Exception {
        String longest = "\ud83d\ude00".repeat(254) + "-";
        String mesh = "\ud83d\ude00".repeat(250) + uniqueName("").substring(1, 6);
        var key = ok(call("POST", "/v1/accessKeys", "{\"name\":\"longest\",\"role\":\"admin\",\"meshes\":[\"*\"]}", ADMIN));
        var session = software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                key.get("accessKeyId").asString(), key.get("secretAccessKey").asString(), "t".repeat(1100));
        try (AppMeshClient sdk = AppMeshClient.builder()
                .endpointOverride(java.net.URI.create("http://localhost:" + port))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(session))
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build()) {
            sdk.createMesh(b -> b.meshName(mesh));
            sdk.createVirtualNode(b -> b.meshName(mesh).virtualNodeName(longest).spec(s -> s.listeners(
                    l -> l.portMapping(p -> p.port(8080).protocol("http"))).serviceDiscovery(d -> d.dns(dns -> dns.hostname("a.local")))));
            sdk.createVirtualRouter(b -> b.meshName(mesh).virtualRouterName(longest).spec(s -> s.listeners(
                    l -> l.portMapping(p -> p.port(8080).protocol("http")))));
            sdk.createVirtualGateway(b -> b.meshName(mesh).virtualGatewayName(longest).spec(s -> s.listeners(
                    l -> l.portMapping(p -> p.port(8080).protocol("http")))));
            sdk.createVirtualService(b -> b.meshName(mesh).virtualServiceName(longest).spec(s -> s.provider(
                    p -> p.virtualRouter(r -> r.virtualRouterName(longest)))));
            String route = sdk.createRoute(b -> b.meshName(mesh).virtualRouterName(longest).routeName(longest).spec(s -> s
                    .httpRoute(h -> h.match(m -> m.prefix("/")).action(a -> a.weightedTargets(w -> w.virtualNode(longest)
                            .weight(1)))))).route().metadata().arn();
            String gatewayRoute = sdk.createGatewayRoute(b -> b.meshName(mesh).virtualGatewayName(longest)
                    .gatewayRouteName(longest).spec(s -> s.httpRoute(h -> h.match(m -> m.prefix("/")).action(a -> a.target(
                            t -> t.virtualService(v -> v.virtualServiceName(longest))))))).gatewayRoute().metadata().arn();
            String owner = "123456789012";
            assertThat(sdk.describeRoute(b -> b.meshName(mesh).virtualRouterName(longest).routeName(longest)
                    .meshOwner(owner)).route().routeName()).isEqualTo(longest);
            assertThat(sdk.describeGatewayRoute(b -> b.meshName(mesh).virtualGatewayName(longest)
                    .gatewayRouteName(longest).meshOwner(owner)).gatewayRoute().gatewayRouteName()).isEqualTo(longest);
            for (String arn : List.of(route, gatewayRoute)) {
                sdk.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("k").value("v")));
                assertThat(sdk.listTagsForResource(b -> b.resourceArn(arn)).tags()).hasSize(1);
            }
            sdk.deleteGatewayRoute(b -> b.meshName(mesh).virtualGatewayName(longest).gatewayRouteName(longest).meshOwner(owner));
            sdk.deleteRoute(b -> b.meshName(mesh).virtualRouterName(longest).routeName(longest).meshOwner(owner));
            sdk.deleteVirtualService(b -> b.meshName(mesh).virtualServiceName(longest));
            sdk.deleteVirtualGateway(b -> b.meshName(mesh).virtualGatewayName(longest));
            sdk.deleteVirtualRouter(b -> b.meshName(mesh).virtualRouterName(longest));
            sdk.deleteVirtualNode(b -> b.meshName(mesh).virtualNodeName(longest));
            sdk.deleteMesh(b -> b.meshName(mesh));
        }
    }
}
