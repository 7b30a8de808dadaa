package dev.meshplane.snapshot;

import dev.meshplane.api.security.MtlsMode;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Golden files: {@code golden/in/<case>.json} holds a mesh (App Mesh specs as the API takes them,
 * plus registry instances) and the proxy to translate for; {@code golden/out/<case>.yaml} holds the
 * Envoy resources that proxy gets (and the notes /v1/proxies shows, when there are any). Run with {@code -Dgolden.update=true} to rewrite the outputs,
 * then read the diff.
 */
class GoldenTest {

    static final Path IN = Path.of("src/test/resources/golden/in");
    static final Path OUT = Path.of("src/test/resources/golden/out");

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(EnvoyTypes.REGISTRY);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(IN)) {
            return files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesAsTheGoldenFileSays(String name) throws Exception {
        JsonNode input = JSON.readTree(IN.resolve(name + ".json").toFile());
        MeshView view = view(input);
        ProxyId proxy = ProxyId.parse(input.get("proxy").asString(), input.path("proxyless").asBoolean(false))
                .orElseThrow();
        ProxyResources resources = MeshTranslator.translate(view, proxy);
        assertThat(EnvoyValidator.validate(resources)).as("Envoy's validation rules").isEmpty();
        String actual = render(resources);
        Path golden = OUT.resolve(name + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden file (run with -Dgolden.update=true to create)").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    static MeshView view(JsonNode input) {
        Map<String, Map<String, RouteSpec>> routes = new HashMap<>();
        input.path("routes").properties().forEach(router -> routes.put(router.getKey(),
                specs(router.getValue(), RouteSpec.class)));
        Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes = new HashMap<>();
        input.path("gatewayRoutes").properties().forEach(gateway -> gatewayRoutes.put(gateway.getKey(),
                specs(gateway.getValue(), GatewayRouteSpec.class)));
        Map<ServiceKey, List<Instance>> instances = new HashMap<>();
        for (JsonNode instance : input.path("instances")) {
            Map<String, String> attributes = new LinkedHashMap<>();
            instance.get("attributes").properties().forEach(a -> attributes.put(a.getKey(), a.getValue().asString()));
            instances.computeIfAbsent(new ServiceKey(instance.get("namespace").asString(), instance.get("service").asString()),
                    k -> new ArrayList<>()).add(new Instance(instance.get("id").asString(), attributes));
        }
        MeshSpec spec = input.has("spec") ? AppMeshJson.mapper().treeToValue(input.get("spec"), MeshSpec.class)
                : new MeshSpec(null, null);
        return new MeshView(input.get("mesh").asString(), 1, spec,
                specs(input.path("virtualServices"), VirtualServiceSpec.class),
                specs(input.path("virtualNodes"), VirtualNodeSpec.class),
                specs(input.path("virtualRouters"), VirtualRouterSpec.class),
                routes,
                specs(input.path("virtualGateways"), VirtualGatewaySpec.class),
                gatewayRoutes,
                instances,
                MtlsMode.valueOf(input.path("mtls").asString("DISABLED")),
                specs(input.path("authorizationPolicies"), dev.meshplane.api.security.AuthorizationPolicySpec.class),
                input.has("tracing") ? AppMeshJson.mapper().treeToValue(input.get("tracing"),
                        dev.meshplane.api.tracing.TracingSpec.class) : null);
    }

    private static <T> Map<String, T> specs(JsonNode node, Class<T> type) {
        Map<String, T> specs = new HashMap<>();
        node.properties().forEach(e -> specs.put(e.getKey(), AppMeshJson.mapper().treeToValue(e.getValue(), type)));
        return specs;
    }

    static String render(ProxyResources resources) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("listeners", messages(resources.listeners()));
        doc.put("routes", messages(resources.routes()));
        doc.put("clusters", messages(resources.clusters()));
        doc.put("endpoints", messages(resources.endpoints()));
        if (!resources.notes().isEmpty()) {
            doc.put("notes", resources.notes());
        }
        return YAML.writeValueAsString(doc);
    }

    private static List<JsonNode> messages(List<? extends Message> messages) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (Message message : messages) {
            nodes.add(JSON.readTree(PRINTER.print(message)));
        }
        return nodes;
    }
}
