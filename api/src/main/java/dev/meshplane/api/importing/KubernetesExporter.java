package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Writes an apply document (of one mesh) as the App Mesh controller's {@code appmesh.k8s.aws/v1beta2} objects, which
 * {@link KubernetesImporter} reads back to the same document: every object carries its App Mesh name in
 * {@code spec.awsName} (its {@code metadata.name} is that name made a valid Kubernetes name), routes sit in their
 * router's {@code spec.routes}, references to resources the document holds are {@code *Ref}s and to others
 * {@code *ARN}s. Membership is written as the controller reads it, since its webhooks set {@code meshRef} and
 * {@code virtualGatewayRef} themselves and refuse them from users: a Namespace labelled {@value #MESH_LABEL}
 * {@code =<mesh>} that the Mesh's and VirtualGateways' {@code namespaceSelector} select, and GatewayRoutes labelled
 * {@value #GATEWAY_LABEL}{@code =<gateway>} that their gateway's {@code gatewayRouteSelector} selects. Tags are kept
 * in the annotation {@value KubernetesImporter#TAGS_ANNOTATION} (routes' in their router's
 * {@value KubernetesImporter#ROUTE_TAGS_ANNOTATION}). Versions are not written: Kubernetes objects have their own.
 */
public final class KubernetesExporter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The Namespace label the Mesh's namespaceSelector matches, as App Mesh's examples label namespaces. */
    static final String MESH_LABEL = "mesh";
    /** The GatewayRoute label its VirtualGateway's gatewayRouteSelector matches. */
    static final String GATEWAY_LABEL = "gateway";
    // quotes only where YAML would read the text as something else ("123", "true", "null", "a: b", "1e3", ".inf")
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .stringQuotingChecker(new QuoteWhatIsNotText()).build())
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS,
                    YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ExportOptions options;
    private final Map<String, String> k8sNames = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    private KubernetesExporter(ExportOptions options) {
        this.options = options;
    }

    /**
     * The documents as one multi-document YAML stream.
     *
     * @throws IllegalArgumentException if the document holds several meshes, or a route's router or a gateway
     *         route's gateway is not in it
     */
    public static String export(ApplyDocument document, ExportOptions options) {
        StringBuilder yaml = new StringBuilder();
        for (ObjectNode object : new KubernetesExporter(options).objects(document)) {
            yaml.append(YAML.writeValueAsString(object));
        }
        return yaml.toString();
    }

    private List<ObjectNode> objects(ApplyDocument document) {
        for (ApplyResource resource : document.resources()) {
            if (resource.kind() != ResourceKind.ROUTE) {
                k8sNames.put(key(resource.kind(), resource.meshName(), resource.name()), unique(resource.kind(), resource.name()));
            }
        }
        List<String> meshes = document.resources().stream().map(ApplyResource::meshName).distinct().toList();
        if (meshes.size() > 1) {
            throw new IllegalArgumentException("a Kubernetes export holds one mesh (a namespace belongs to one); the"
                    + " document holds " + meshes.size() + ": " + String.join(", ", meshes));
        }
        List<ObjectNode> objects = new ArrayList<>();
        String mesh = meshes.isEmpty() ? null : k8sNames.get(key(ResourceKind.MESH, meshes.get(0), meshes.get(0)));
        if (mesh != null) {
            ObjectNode namespace = NODES.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", options.namespace()).putObject("labels").put(MESH_LABEL, mesh);
            objects.add(namespace);
        }
        Map<String, ArrayNode> routesOf = new HashMap<>();
        Map<String, ObjectNode> routeTagsOf = new HashMap<>();
        Map<String, ObjectNode> routerAnnotations = new HashMap<>();
        for (ApplyResource resource : document.resources()) {
            if (resource.kind() == ResourceKind.ROUTE) {
                ArrayNode routes = routesOf.get(resource.meshName() + "/" + resource.parentName());
                if (routes == null) {
                    throw new IllegalArgumentException(resource.describe() + ": its router is not in the document");
                }
                ObjectNode route = NODES.objectNode().put("name", resource.name());
                route.setAll((ObjectNode) references(resource));
                routes.add(route);
                if (!resource.tags().isEmpty()) {
                    routeTagsOf.get(resource.meshName() + "/" + resource.parentName()).set(resource.name(), tagList(resource));
                }
                continue;
            }
            ObjectNode object = NODES.objectNode();
            object.put("apiVersion", KubernetesImporter.API_VERSION);
            object.put("kind", ApplyKinds.name(resource.kind()));
            ObjectNode metadata = object.putObject("metadata");
            metadata.put("name", k8sNames.get(key(resource.kind(), resource.meshName(), resource.name())));
            if (resource.kind() != ResourceKind.MESH) {
                metadata.put("namespace", options.namespace());
            }
            ObjectNode annotations = metadata.putObject("annotations");
            if (!resource.tags().isEmpty()) {
                annotations.put(KubernetesImporter.TAGS_ANNOTATION, JSON.writeValueAsString(tagList(resource)));
            }
            ObjectNode spec = object.putObject("spec");
            spec.put("awsName", resource.name());
            // meshRef and virtualGatewayRef are the webhooks' to set (they refuse them on create): selectors say it
            if (resource.kind() == ResourceKind.MESH) {
                spec.putObject("namespaceSelector").putObject("matchLabels").put(MESH_LABEL, mesh);
            } else if (resource.kind() == ResourceKind.VIRTUAL_GATEWAY) {
                if (mesh != null) {
                    spec.putObject("namespaceSelector").putObject("matchLabels").put(MESH_LABEL, mesh);
                }
                spec.putObject("gatewayRouteSelector").putObject("matchLabels").put(GATEWAY_LABEL, metadata.get("name").asString());
            } else if (resource.kind() == ResourceKind.GATEWAY_ROUTE) {
                String gateway = k8sNames.get(key(ResourceKind.VIRTUAL_GATEWAY, resource.meshName(), resource.parentName()));
                if (gateway == null) {
                    throw new IllegalArgumentException(resource.describe() + ": its gateway is not in the document");
                }
                metadata.putObject("labels").put(GATEWAY_LABEL, gateway);
            }
            JsonNode body = references(resource);
            body.properties().forEach(member -> spec.set(
                    resource.kind() == ResourceKind.MESH && member.getKey().equals("serviceDiscovery")
                            ? "meshServiceDiscovery" : member.getKey(), member.getValue()));
            if (resource.kind() == ResourceKind.VIRTUAL_ROUTER) {
                routesOf.put(resource.meshName() + "/" + resource.name(), spec.putArray("routes"));
                routeTagsOf.put(resource.meshName() + "/" + resource.name(), NODES.objectNode());
                routerAnnotations.put(resource.meshName() + "/" + resource.name(), annotations);
            }
            objects.add(object);
        }
        // route tags are known only once every route is placed; annotations are strings, so written last
        routeTagsOf.forEach((router, routeTags) -> {
            if (!routeTags.isEmpty()) {
                routerAnnotations.get(router).put(KubernetesImporter.ROUTE_TAGS_ANNOTATION, JSON.writeValueAsString(routeTags));
            }
        });
        for (ObjectNode object : objects) {
            if (object.get("metadata").path("annotations").isEmpty()) {
                ((ObjectNode) object.get("metadata")).remove("annotations");
            }
        }
        return objects;
    }

    private static ArrayNode tagList(ApplyResource resource) {
        ArrayNode tags = NODES.arrayNode();
        resource.tags().forEach(tag -> tags.addObject().put("key", tag.key()).put("value", tag.value()));
        return tags;
    }

    /** The spec with references as the CRDs write them, and ARN members in the CRDs' spelling. */
    private JsonNode references(ApplyResource resource) {
        ObjectNode spec = (ObjectNode) resource.spec().deepCopy();
        SpecReferences.forEach(resource.kind(), spec, (holder, member, target) -> {
            String name = holder.remove(member).asString();
            String base = target == ResourceKind.VIRTUAL_SERVICE ? "virtualService"
                    : target == ResourceKind.VIRTUAL_NODE ? "virtualNode" : "virtualRouter";
            String k8sName = k8sNames.get(key(target, resource.meshName(), name));
            if (k8sName != null) {
                holder.putObject(base + "Ref").put("name", k8sName);
            } else {
                holder.put(base + "ARN", options.arn(resource.meshName(), base, name));
            }
        });
        renameArns(spec);
        return spec;
    }

    private static void renameArns(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String member : List.copyOf(object.propertyNames())) {
                renameArns(object.get(member));
                if (member.equals("certificateArn") || member.equals("certificateAuthorityArns")) {
                    object.set(member.replace("Arn", "ARN"), object.remove(member));
                }
            }
        } else if (node.isArray()) {
            node.forEach(KubernetesExporter::renameArns);
        }
    }

    private String unique(ResourceKind kind, String name) {
        String base = name.toLowerCase().replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        // 63: names are also label values (MESH_LABEL, GATEWAY_LABEL)
        base = base.isEmpty() ? "x" : base.substring(0, Math.min(base.length(), 60)).replaceAll("[^a-z0-9]+$", "");
        String candidate = base;
        for (int i = 2; !taken.add(kind + "/" + candidate); i++) {
            candidate = base + "-" + i;
        }
        return candidate;
    }

    private static String key(ResourceKind kind, String mesh, String name) {
        return kind + "/" + mesh + "/" + name;
    }

    /**
     * Jackson's own checks (YAML 1.1's keywords, plain numbers), and whatever YAML 1.2's core schema reads as other
     * than text: Jackson's leave {@code 1e3}, {@code .inf} and {@code .nan} bare, which kubectl and
     * {@code meshplane import} then read as numbers, so an exported header match "1e3" came back as 1000.0.
     */
    private static final class QuoteWhatIsNotText extends StringQuotingChecker.Default {
        private static final org.snakeyaml.engine.v2.resolver.ScalarResolver CORE =
                new org.snakeyaml.engine.v2.resolver.CoreScalarResolver(true);

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value)
                    || !CORE.resolve(value, true).equals(org.snakeyaml.engine.v2.nodes.Tag.STR);
        }
    }
}
