package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.TagRef;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Export in each format, then import: the same apply document comes back, for the seed's mesh and generated ones. */
class RoundTripTest {

    private static final ExportOptions EXPORT = new ExportOptions("mylearning-prod", "eu-west-1", "111122223333");
    private static final List<String> NAMES = List.of("alpha", "beta", "Gamma_2.v1");

    enum Format {
        APP_MESH_JSON(d -> AppMeshJson.mapper().writeValueAsString(AppMeshJsonFormat.export(d)), true),
        KUBERNETES(d -> KubernetesExporter.export(d, EXPORT), false),
        CLOUDFORMATION(CloudFormationExporter::export, false);

        final Function<ApplyDocument, String> export;
        final boolean keepsVersions;

        Format(Function<ApplyDocument, String> export, boolean keepsVersions) {
            this.export = export;
            this.keepsVersions = keepsVersions;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        ApplyDocument seed = KubernetesImporter.importDocuments(ImportFixtures.documents(ImportFixtures.seedWithRest()),
                new ImportOptions(null, null, true, "user-service-router", Map.of(), null)).document();
        for (Format format : Format.values()) {
            cases.add(Arguments.of(format, "the seed's mesh", seed));
            cases.add(Arguments.of(format, "text YAML would read as numbers", numberLikeText()));
            for (long seedValue = 1; seedValue <= 5; seedValue++) {
                cases.add(Arguments.of(format, "generated mesh " + seedValue, generated(new Random(seedValue), format.keepsVersions)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void exportThenImportGivesTheSameDocument(Format format, String name, ApplyDocument document) {
        String exported = format.export.apply(document);
        ImportResult imported = Imports.read(YamlDocuments.parse("export", exported), ImportOptions.none());
        assertThat(imported.document().toJsonText()).isEqualTo(document.toJsonText());
    }

    /**
     * A route matching headers on text that YAML 1.2 reads as numbers when bare: Jackson's quoting left "1e3" and
     * ".inf" bare, and they came back as 1000.0 and a float (kubectl reads them so too).
     */
    private static ApplyDocument numberLikeText() {
        StringBuilder headers = new StringBuilder();
        List<String> values = List.of("1e3", "1E-3", ".inf", "-.inf", ".nan", ".NaN", "0x1F", "0o17", "1_000", "<<", "yes");
        for (int i = 0; i < values.size(); i++) {
            headers.append(i == 0 ? "" : ",").append("{\"name\":\"h").append(i).append("\",\"match\":{\"exact\":\"")
                    .append(values.get(i)).append("\"}}");
        }
        return Imports.read(YamlDocuments.parse("numbers.json", """
                {"resources": [{"kind": "Mesh", "meshName": "m"},
                  {"kind": "VirtualRouter", "meshName": "m", "virtualRouterName": "r",
                   "spec": {"listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]}},
                  {"kind": "VirtualNode", "meshName": "m", "virtualNodeName": "n", "spec": {}},
                  {"kind": "Route", "meshName": "m", "virtualRouterName": "r", "routeName": "x", "spec": {"httpRoute": {
                    "match": {"prefix": "/", "headers": [%s]},
                    "action": {"weightedTargets": [{"virtualNode": "n", "weight": 1}]}}}}]}
                """.formatted(headers)), ImportOptions.none()).document();
    }

    /** A mesh with resources of every kind whose specs set every member the API accepts (ACM aside: refused). */
    private static ApplyDocument generated(Random random, boolean versions) {
        Generator generator = new Generator(random);
        List<ApplyResource> resources = new ArrayList<>();
        String mesh = "mesh-" + random.nextInt(1000);
        resources.add(generator.resource(ResourceKind.MESH, mesh, null, mesh, versions));
        for (String name : NAMES) {
            for (ResourceKind kind : List.of(ResourceKind.VIRTUAL_NODE, ResourceKind.VIRTUAL_ROUTER,
                    ResourceKind.VIRTUAL_SERVICE, ResourceKind.VIRTUAL_GATEWAY)) {
                resources.add(generator.resource(kind, mesh, null, name, versions));
            }
            resources.add(generator.resource(ResourceKind.ROUTE, mesh, NAMES.get(0), name, versions));
            resources.add(generator.resource(ResourceKind.GATEWAY_ROUTE, mesh, NAMES.get(1), name, versions));
        }
        return new ApplyDocument(resources);
    }

    /** Fills every member of a spec record with values; names come partly from the resources' own, so references resolve. */
    private static final class Generator {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        ApplyResource resource(ResourceKind kind, String mesh, String parent, String name, boolean versions) {
            JsonNode spec = value(kind.specType());
            JsonNode canonical = SpecShapes.canonical(spec, kind.specType(), "generated", false);
            List<TagRef> tags = List.of(new TagRef("team", text()), new TagRef("k" + random.nextInt(100), "true"));
            return new ApplyResource(kind, mesh, parent, name, canonical, tags, versions ? (long) random.nextInt(50) + 1 : null);
        }

        private JsonNode value(Type type) {
            if (type instanceof Class<?> record && record.isRecord()) {
                ObjectNode object = NODES.objectNode();
                for (RecordComponent component : record.getRecordComponents()) {
                    if (!component.getName().equals("acm")) {
                        object.set(component.getName(), value(component.getGenericType()));
                    }
                }
                return object;
            }
            if (type instanceof ParameterizedType list) {
                ArrayNode array = NODES.arrayNode();
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                    array.add(value(list.getActualTypeArguments()[0]));
                }
                return array;
            }
            Class<?> scalar = (Class<?>) type;
            if (scalar.isEnum()) {
                Object[] constants = scalar.getEnumConstants();
                return AppMeshJson.mapper().valueToTree(constants[random.nextInt(constants.length)]);
            }
            if (scalar == Integer.class || scalar == int.class || scalar == Long.class || scalar == long.class) {
                return NODES.numberNode(random.nextInt(1000));
            }
            if (scalar == Double.class || scalar == double.class) {
                return NODES.numberNode(random.nextInt(100) / 4.0);
            }
            if (scalar == Boolean.class || scalar == boolean.class) {
                return NODES.booleanNode(random.nextBoolean());
            }
            return NODES.stringNode(text());
        }

        private String text() {
            return switch (random.nextInt(4)) {
                case 0, 1 -> NAMES.get(random.nextInt(NAMES.size()));
                case 2 -> "123";
                default -> "v-" + random.nextInt(10_000) + ": ${x} #y";
            };
        }
    }
}
