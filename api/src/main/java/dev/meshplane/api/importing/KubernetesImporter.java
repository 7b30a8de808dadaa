package dev.meshplane.api.importing;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.model.TagRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the App Mesh controller's {@code appmesh.k8s.aws/v1beta2} objects (aws/aws-app-mesh-controller-for-k8s,
 * {@code apis/appmesh/v1beta2/*_types.go}) into an apply document.
 * <ul>
 * <li>Names as the controller's webhooks default them ({@code webhooks/appmesh/*_mutator.go},
 *     {@code defaultingAWSName}): {@code spec.awsName}, else a Mesh's {@code metadata.name}, a VirtualService's
 *     {@code name.namespace}, every other kind's {@code name_namespace}.</li>
 * <li>{@code meshRef}, {@code virtualNodeRef}, {@code virtualServiceRef}, {@code virtualRouterRef},
 *     {@code virtualGatewayRef} and {@code backendGroups} name objects among the documents (in the referring
 *     object's namespace unless they name one) and become those objects' names; {@code *ARN} members become
 *     the name the ARN ends in.</li>
 * <li>VirtualRouters' {@code spec.routes} become Route resources named by their {@code name}.</li>
 * <li>An object without {@code meshRef} (which the controller's webhooks set and refuse from users) belongs,
 *     as the controller designates it ({@code pkg/mesh/membership_designator.go}), to the Mesh whose
 *     {@code namespaceSelector} selects its Namespace, when that Namespace ({@code v1}) is among the documents;
 *     a GatewayRoute without {@code virtualGatewayRef} to the VirtualGateway whose {@code namespaceSelector} and
 *     {@code gatewayRouteSelector} select it ({@code pkg/virtualgateway/membership_designator.go}). Without its
 *     Namespace, the {@code mesh} and {@code gateway} options decide, else the one Mesh or VirtualGateway given.</li>
 * <li>Selectors, {@code meshOwner} and the ARNs of existing AWS resources are the controller's, not App Mesh's:
 *     they are dropped from the specs and reported.</li>
 * <li>Member names differ from the API's only in case ({@code certificateARN}) and in
 *     {@code meshServiceDiscovery} (a Mesh's {@code serviceDiscovery}); {@link SpecShapes} maps the rest.</li>
 * </ul>
 * Objects of other API groups (Deployments, NetworkPolicies ...) are skipped and reported, so a folder of
 * manifests imports as a whole. Tags, which the CRDs cannot hold, are read from the annotation
 * {@value #TAGS_ANNOTATION} (a JSON list of {@code {"key", "value"}}; a router's routes' from
 * {@value #ROUTE_TAGS_ANNOTATION}), which {@link KubernetesExporter} writes.
 */
public final class KubernetesImporter {

    /** The annotation carrying a resource's tags. */
    public static final String TAGS_ANNOTATION = "appmesh.meshplane.dev/tags";
    /** The VirtualRouter annotation carrying its routes' tags: a JSON object from route name to tag list. */
    public static final String ROUTE_TAGS_ANNOTATION = "appmesh.meshplane.dev/route-tags";
    static final String API_VERSION = "appmesh.k8s.aws/v1beta2";
    private static final String GROUP = "appmesh.k8s.aws/";
    private static final Set<String> KINDS = Set.of("Mesh", "VirtualNode", "VirtualService", "VirtualRouter",
            "VirtualGateway", "GatewayRoute", "BackendGroup", "Route");
    private static final List<String> SELECTORS = List.of("podSelector", "namespaceSelector", "gatewayRouteSelector",
            "meshSelector", "serviceAccountSelector");
    private static final Pattern ARN = Pattern.compile(
            "arn:[a-z-]+:appmesh:[a-z0-9-]*:\\d*:mesh/([^/]+)/(virtualNode|virtualService|virtualRouter|virtualGateway)/([^/]+)");

    private final ImportOptions options;
    private final ImportAssembly assembly = new ImportAssembly();
    private final Map<String, K8sObject> objects = new HashMap<>();
    private final Map<String, JsonNode> namespaceLabels = new HashMap<>();

    private KubernetesImporter(ImportOptions options) {
        this.options = options;
    }

    /**
     * The apply document for {@code documents} (one file's or a folder's documents, in order).
     *
     * @throws ImportException naming the document, the field and what is wrong: an unknown kind, a reference
     *         to an object that is not among the documents, a bare Route without {@code router}, ACM without
     *         {@code acm=built-in}, a member the API does not have
     */
    public static ImportResult importDocuments(List<SourceDocument> documents, ImportOptions options) {
        KubernetesImporter importer = new KubernetesImporter(options);
        List<K8sObject> read = new ArrayList<>();
        for (SourceDocument document : documents) {
            importer.index(document.content(), document.where(), read);
        }
        for (K8sObject object : read) {
            importer.convert(object);
        }
        return importer.assembly.finish(options);
    }

    private record K8sObject(String where, String kind, String namespace, String name, ObjectNode spec, JsonNode metadata) {

        String describe() {
            return where + " (" + kind + " '" + name + "')";
        }

        String awsName() {
            JsonNode awsName = spec.path("awsName");
            if (awsName.isString() && !awsName.asString().isEmpty()) {
                return awsName.asString();
            }
            return switch (kind) {
                case "Mesh" -> name;
                case "VirtualService" -> name + "." + namespace;
                case "Route" -> name;
                default -> name + "_" + namespace;
            };
        }
    }

    private void index(JsonNode content, String where, List<K8sObject> read) {
        if (!content.isObject()) {
            throw new ImportException(where + ": a Kubernetes object (apiVersion, kind, metadata, spec) is needed");
        }
        String apiVersion = content.path("apiVersion").asString("");
        String kind = content.path("kind").asString("");
        if (kind.equals("List") && content.path("items").isArray()) {
            for (int i = 0; i < content.get("items").size(); i++) {
                index(content.get("items").get(i), where + " items[" + i + "]", read);
            }
            return;
        }
        if (apiVersion.equals("v1") && kind.equals("Namespace") && content.path("metadata").path("name").isString()) {
            namespaceLabels.put(content.path("metadata").path("name").asString(), content.path("metadata").path("labels"));
            assembly.report(where + ": Namespace '" + content.path("metadata").path("name").asString()
                    + "' read for its labels (which Mesh and VirtualGateway select its objects)");
            return;
        }
        if (!apiVersion.startsWith(GROUP)) {
            assembly.report(where + ": " + (apiVersion.isEmpty() ? "no apiVersion" : apiVersion) + " " + kind
                    + " is not an App Mesh object; skipped");
            return;
        }
        if (!apiVersion.equals(API_VERSION)) {
            throw new ImportException(where + ": apiVersion: " + apiVersion + " is not read; convert the objects to "
                    + API_VERSION + " (the controller's current version) first");
        }
        if (!KINDS.contains(kind)) {
            throw new ImportException(where + ": kind: unknown kind '" + kind + "' of " + API_VERSION + "; known: "
                    + String.join(", ", List.of("Mesh", "VirtualNode", "VirtualService", "VirtualRouter",
                    "VirtualGateway", "GatewayRoute", "BackendGroup")));
        }
        JsonNode name = content.path("metadata").path("name");
        if (!name.isString() || name.asString().isEmpty()) {
            throw new ImportException(where + " (" + kind + "): metadata.name: a name is needed");
        }
        JsonNode spec = content.path("spec");
        if (!spec.isMissingNode() && !spec.isObject()) {
            throw new ImportException(where + " (" + kind + " '" + name.asString() + "'): spec: an object is needed");
        }
        JsonNode namespaceNode = content.path("metadata").path("namespace");
        if (!namespaceNode.isMissingNode() && !namespaceNode.isString()) {
            throw new ImportException(where + " (" + kind + " '" + name.asString() + "'): metadata.namespace: a name is needed");
        }
        String namespace = kind.equals("Mesh") ? "" : namespaceNode.asString(options.namespaceOrDefault());
        K8sObject object = new K8sObject(where, kind, namespace, name.asString(),
                spec.isObject() ? (ObjectNode) spec.deepCopy() : JsonNodeFactory.instance.objectNode(), content.path("metadata"));
        K8sObject earlier = objects.putIfAbsent(key(kind, namespace, object.name()), object);
        if (earlier != null) {
            throw new ImportException(object.describe() + ": the same object as " + earlier.where());
        }
        read.add(object);
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    private void convert(K8sObject object) {
        // the indexed spec stays as written: other objects' references read its awsName and meshRef
        ObjectNode spec = object.spec().deepCopy();
        spec.remove("awsName");
        for (String selector : SELECTORS) {
            if (spec.remove(selector) != null) {
                assembly.report(object.describe() + ": spec." + selector + " is the controller's, not App Mesh's; dropped");
            }
        }
        switch (object.kind()) {
            case "Mesh" -> mesh(object, spec);
            case "VirtualNode" -> virtualNode(object, spec);
            case "VirtualService" -> virtualService(object, spec);
            case "VirtualRouter" -> virtualRouter(object, spec);
            case "Route" -> bareRoute(object, spec);
            case "VirtualGateway" -> virtualGateway(object, spec);
            case "GatewayRoute" -> gatewayRoute(object, spec);
            default -> { } // BackendGroups are read where a VirtualNode names them
        }
    }

    private void mesh(K8sObject object, ObjectNode spec) {
        dropOwner(object, spec);
        JsonNode discovery = spec.remove("meshServiceDiscovery");
        if (discovery != null) {
            spec.set("serviceDiscovery", discovery);
        }
        add(object, ResourceKind.MESH, object.awsName(), null, object.awsName(), spec);
    }

    private void virtualNode(K8sObject object, ObjectNode spec) {
        String mesh = meshOf(object, spec);
        dropArn(object, spec, "virtualNodeARN");
        JsonNode discovery = spec.path("serviceDiscovery");
        if (discovery instanceof ObjectNode sd && sd.has("cloudMap") && !sd.has("awsCloudMap")) {
            sd.set("awsCloudMap", sd.remove("cloudMap"));
            assembly.report(object.describe() + ": spec.serviceDiscovery.cloudMap read as awsCloudMap (the CRD's and the API's name)");
        }
        JsonNode backends = spec.path("backends");
        if (backends.isArray()) {
            for (int i = 0; i < backends.size(); i++) {
                JsonNode service = backends.get(i).path("virtualService");
                if (service instanceof ObjectNode vs) {
                    String target = reference(object, vs, "virtualServiceRef", "virtualServiceARN", "VirtualService",
                            "spec.backends[" + i + "].virtualService", mesh);
                    if (target != null) {
                        vs.put("virtualServiceName", target);
                    }
                }
            }
        }
        JsonNode groups = spec.remove("backendGroups");
        if (groups != null) {
            if (!groups.isArray()) {
                throw new ImportException(object.describe() + ": spec.backendGroups: a list of references is needed");
            }
            ArrayNode all = backends.isArray() ? (ArrayNode) backends : spec.putArray("backends");
            for (int i = 0; i < groups.size(); i++) {
                String path = "spec.backendGroups[" + i + "]";
                K8sObject group = referenced(object, groups.get(i), "BackendGroup", path);
                JsonNode services = group.spec().path("virtualservices");
                if (!services.isMissingNode() && !services.isArray()) {
                    throw new ImportException(group.describe() + ": spec.virtualservices: a list of references is needed");
                }
                for (int j = 0; j < services.size(); j++) {
                    K8sObject service = referenced(group, services.get(j), "VirtualService", "spec.virtualservices[" + j + "]");
                    boolean listed = false;
                    for (JsonNode backend : all) {
                        listed |= backend.path("virtualService").path("virtualServiceName").asString("").equals(service.awsName());
                    }
                    if (!listed) {
                        all.addObject().putObject("virtualService").put("virtualServiceName", service.awsName());
                    }
                }
                assembly.report(object.describe() + ": " + path + " '" + group.name() + "' listed as its virtual services");
            }
        }
        add(object, ResourceKind.VIRTUAL_NODE, mesh, null, object.awsName(), spec);
    }

    private void virtualService(K8sObject object, ObjectNode spec) {
        String mesh = meshOf(object, spec);
        dropArn(object, spec, "virtualServiceARN");
        if (spec.path("provider").path("virtualNode") instanceof ObjectNode node) {
            String target = reference(object, node, "virtualNodeRef", "virtualNodeARN", "VirtualNode",
                    "spec.provider.virtualNode", mesh);
            if (target != null) {
                node.put("virtualNodeName", target);
            }
        }
        if (spec.path("provider").path("virtualRouter") instanceof ObjectNode router) {
            String target = reference(object, router, "virtualRouterRef", "virtualRouterARN", "VirtualRouter",
                    "spec.provider.virtualRouter", mesh);
            if (target != null) {
                router.put("virtualRouterName", target);
            }
        }
        add(object, ResourceKind.VIRTUAL_SERVICE, mesh, null, object.awsName(), spec);
    }

    private void virtualRouter(K8sObject object, ObjectNode spec) {
        String mesh = meshOf(object, spec);
        dropArn(object, spec, "virtualRouterARN");
        if (spec.remove("routeARNs") != null) {
            assembly.report(object.describe() + ": spec.routeARNs names existing AWS routes; dropped");
        }
        JsonNode routes = spec.remove("routes");
        String router = object.awsName();
        add(object, ResourceKind.VIRTUAL_ROUTER, mesh, null, router, spec);
        if (routes == null) {
            return;
        }
        if (!routes.isArray()) {
            throw new ImportException(object.describe() + ": spec.routes: a list of routes is needed");
        }
        for (int i = 0; i < routes.size(); i++) {
            String path = "spec.routes[" + i + "]";
            if (!(routes.get(i) instanceof ObjectNode route)) {
                throw new ImportException(object.describe() + ": " + path + ": a route object is needed");
            }
            JsonNode name = route.remove("name");
            if (name == null || !name.isString() || name.asString().isEmpty()) {
                throw new ImportException(object.describe() + ": " + path + ".name: a route needs a name");
            }
            routeTargets(object, route, path, mesh);
            assembly.add(new ApplyResource(ResourceKind.ROUTE, mesh, router, name.asString(),
                    SpecShapes.canonical(route, ResourceKind.ROUTE.specType(), object.describe() + ": " + path, false),
                    routeTags(object, name.asString()), null), object.where());
        }
    }

    private void bareRoute(K8sObject object, ObjectNode spec) {
        if (options.router() == null) {
            throw new ImportException(object.describe() + ": a Route document carries no router (the controller reads"
                    + " routes only inside a VirtualRouter's spec.routes); move it there, or give router=<VirtualRouter"
                    + " name> (meshplane import --router) to attach it");
        }
        ObjectNode ref = JsonNodeFactory.instance.objectNode().put("name", options.router());
        K8sObject router = referenced(object, ref, "VirtualRouter", "router=" + options.router());
        String mesh = meshOf(router, router.spec().deepCopy());
        spec.remove("meshRef");
        routeTargets(object, spec, "spec", mesh);
        assembly.report(object.describe() + ": attached to VirtualRouter '" + router.name() + "' (router option)");
        add(object, ResourceKind.ROUTE, mesh, router.awsName(), object.awsName(), spec);
    }

    private void routeTargets(K8sObject object, ObjectNode route, String path, String mesh) {
        for (String protocol : List.of("httpRoute", "http2Route", "grpcRoute", "tcpRoute")) {
            JsonNode targets = route.path(protocol).path("action").path("weightedTargets");
            for (int j = 0; j < targets.size(); j++) {
                if (targets.get(j) instanceof ObjectNode target) {
                    String node = reference(object, target, "virtualNodeRef", "virtualNodeARN", "VirtualNode",
                            path + "." + protocol + ".action.weightedTargets[" + j + "]", mesh);
                    if (node != null) {
                        target.put("virtualNode", node);
                    }
                }
            }
            if (route.path(protocol).path("retryPolicy") instanceof ObjectNode retry && retry.has("retryEvents")
                    && !retry.has("httpRetryEvents")) {
                retry.set("httpRetryEvents", retry.remove("retryEvents"));
                assembly.report(object.describe() + ": " + path + "." + protocol
                        + ".retryPolicy.retryEvents read as httpRetryEvents (the CRD's and the API's name)");
            }
        }
    }

    private void virtualGateway(K8sObject object, ObjectNode spec) {
        String mesh = meshOf(object, spec);
        dropArn(object, spec, "virtualGatewayARN");
        add(object, ResourceKind.VIRTUAL_GATEWAY, mesh, null, object.awsName(), spec);
    }

    private void gatewayRoute(K8sObject object, ObjectNode spec) {
        dropArn(object, spec, "gatewayRouteARN");
        JsonNode gatewayRef = spec.remove("virtualGatewayRef");
        K8sObject gateway = gatewayRef != null ? referenced(object, gatewayRef, "VirtualGateway", "spec.virtualGatewayRef")
                : designatedGateway(object);
        String mesh = meshOf(gateway, gateway.spec().deepCopy());
        spec.remove("meshRef");
        for (String protocol : List.of("httpRoute", "http2Route", "grpcRoute")) {
            if (spec.path(protocol).path("action").path("target").path("virtualService") instanceof ObjectNode vs) {
                String target = reference(object, vs, "virtualServiceRef", "virtualServiceARN", "VirtualService",
                        "spec." + protocol + ".action.target.virtualService", mesh);
                if (target != null) {
                    vs.put("virtualServiceName", target);
                }
            }
        }
        add(object, ResourceKind.GATEWAY_ROUTE, mesh, gateway.awsName(), object.awsName(), spec);
    }

    private void add(K8sObject object, ResourceKind kind, String mesh, String parent, String name, ObjectNode spec) {
        JsonNode canonical = SpecShapes.canonical(spec, kind.specType(), object.describe() + ": spec", false);
        assembly.add(new ApplyResource(kind, mesh, parent, name, canonical, tags(object), null), object.where());
    }

    private List<TagRef> routeTags(K8sObject router, String route) {
        JsonNode annotation = router.metadata().path("annotations").path(ROUTE_TAGS_ANNOTATION);
        if (annotation.isMissingNode()) {
            return List.of();
        }
        String path = router.describe() + ": metadata.annotations." + ROUTE_TAGS_ANNOTATION;
        try {
            return SpecShapes.tags(AppMeshJson.mapper().readTree(text(annotation, path)).path(route), path + "." + route, false);
        } catch (JacksonException e) {
            throw new ImportException(path + ": not a JSON object of tag lists: " + e.getOriginalMessage());
        }
    }

    private List<TagRef> tags(K8sObject object) {
        JsonNode annotation = object.metadata().path("annotations").path(TAGS_ANNOTATION);
        if (annotation.isMissingNode()) {
            return List.of();
        }
        String path = object.describe() + ": metadata.annotations." + TAGS_ANNOTATION;
        try {
            return SpecShapes.tags(AppMeshJson.mapper().readTree(text(annotation, path)), path, false);
        } catch (JacksonException e) {
            throw new ImportException(path + ": not a JSON list of tags: " + e.getOriginalMessage());
        }
    }

    /** The VirtualGateway of a GatewayRoute without virtualGatewayRef: the gateway option, its selectors, the one given. */
    private K8sObject designatedGateway(K8sObject route) {
        if (options.gateway() != null) {
            return referenced(route, JsonNodeFactory.instance.objectNode().put("name", options.gateway()), "VirtualGateway",
                    "gateway=" + options.gateway());
        }
        List<K8sObject> gateways = objects.values().stream().filter(o -> o.kind().equals("VirtualGateway")).toList();
        JsonNode labels = namespaceLabels.get(route.namespace());
        if (labels != null) {
            List<K8sObject> selecting = gateways.stream()
                    .filter(vg -> LabelSelectors.matches(vg.spec().get("namespaceSelector"), labels, false,
                            vg.describe() + ": spec.namespaceSelector"))
                    .filter(vg -> LabelSelectors.matches(vg.spec().get("gatewayRouteSelector"), route.metadata().path("labels"),
                            true, vg.describe() + ": spec.gatewayRouteSelector"))
                    .toList();
            if (selecting.size() == 1) {
                return selecting.get(0);
            }
            throw new ImportException(route.describe() + ": spec.virtualGatewayRef: none given, and " + selecting.size()
                    + " VirtualGateways select it by namespaceSelector and gatewayRouteSelector" + names(selecting)
                    + "; the controller needs exactly one");
        }
        if (gateways.size() == 1) {
            return gateways.get(0);
        }
        throw new ImportException(route.describe() + ": spec.virtualGatewayRef: none given, its Namespace '" + route.namespace()
                + "' is not among the documents (its labels decide which VirtualGateway selects it), and "
                + gateways.size() + " VirtualGateways are; add the Namespace, or give gateway=<VirtualGateway name>"
                + " (meshplane import --gateway)");
    }

    private static String names(List<K8sObject> objects) {
        return objects.isEmpty() ? "" : " (" + String.join(", ", objects.stream().map(o -> o.namespace() + "/" + o.name())
                .sorted().toList()) + ")";
    }

    /** The AWS name of the mesh an object belongs to: its meshRef, the mesh option, its Namespace's Mesh, the one Mesh. */
    private String meshOf(K8sObject object, ObjectNode spec) {
        JsonNode meshRef = spec.remove("meshRef");
        if (meshRef != null) {
            if (!meshRef.path("name").isString()) {
                throw new ImportException(object.describe() + ": spec.meshRef.name: a Mesh's name is needed");
            }
            K8sObject mesh = objects.get(key("Mesh", "", meshRef.path("name").asString()));
            if (mesh == null) {
                throw new ImportException(object.describe() + ": spec.meshRef: no Mesh '" + meshRef.path("name").asString()
                        + "' among the documents");
            }
            return mesh.awsName();
        }
        if (options.mesh() != null) {
            return options.mesh();
        }
        List<K8sObject> meshes = objects.values().stream().filter(o -> o.kind().equals("Mesh")).toList();
        JsonNode labels = namespaceLabels.get(object.namespace());
        if (labels != null) {
            List<K8sObject> selecting = meshes.stream().filter(mesh -> LabelSelectors.matches(mesh.spec().get("namespaceSelector"),
                    labels, false, mesh.describe() + ": spec.namespaceSelector")).toList();
            if (selecting.size() == 1) {
                return selecting.get(0).awsName();
            }
            throw new ImportException(object.describe() + ": spec.meshRef: none given, and " + selecting.size()
                    + " Meshes select its Namespace '" + object.namespace() + "' by namespaceSelector" + names(selecting)
                    + "; the controller needs exactly one (or give mesh=<name>, meshplane import --mesh)");
        }
        if (meshes.size() == 1) {
            return meshes.get(0).awsName();
        }
        throw new ImportException(object.describe() + ": spec.meshRef: none given, its Namespace '" + object.namespace()
                + "' is not among the documents (its labels decide which Mesh selects it), and " + meshes.size()
                + " Meshes are; add the Namespace, or give mesh=<name> (meshplane import --mesh)");
    }

    /**
     * Resolves {@code refMember} (a reference to an object among the documents) or {@code arnMember} (an ARN) in
     * {@code holder} to an AWS name, removing both; null when neither is given.
     */
    private String reference(K8sObject object, ObjectNode holder, String refMember, String arnMember, String kind,
                             String path, String mesh) {
        JsonNode ref = holder.remove(refMember);
        JsonNode arn = holder.remove(arnMember);
        if (ref != null && arn != null) {
            throw new ImportException(object.describe() + ": " + path + ": give " + refMember + " or " + arnMember + ", not both");
        }
        if (ref != null) {
            return referenced(object, ref, kind, path + "." + refMember).awsName();
        }
        if (arn == null) {
            return null;
        }
        Matcher matcher = ARN.matcher(arn.asString(""));
        String expectedType = Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
        if (!matcher.matches() || !matcher.group(2).equals(expectedType)) {
            throw new ImportException(object.describe() + ": " + path + "." + arnMember + ": '" + arn.asString("")
                    + "' is not a " + kind + " ARN (arn:aws:appmesh:<region>:<account>:mesh/<mesh>/" + expectedType + "/<name>)");
        }
        if (!matcher.group(1).equals(mesh)) {
            throw new ImportException(object.describe() + ": " + path + "." + arnMember + ": names mesh '" + matcher.group(1)
                    + "', but this object is in mesh '" + mesh + "'");
        }
        return matcher.group(3);
    }

    private K8sObject referenced(K8sObject from, JsonNode ref, String kind, String path) {
        JsonNode name = ref.path("name");
        if (!name.isString() || name.asString().isEmpty()) {
            throw new ImportException(from.describe() + ": " + path + ".name: the referenced " + kind + "'s name is needed");
        }
        if (!ref.path("namespace").isMissingNode() && !ref.path("namespace").isString()) {
            throw new ImportException(from.describe() + ": " + path + ".namespace: a namespace name is needed");
        }
        String namespace = ref.path("namespace").asString(from.namespace());
        K8sObject target = objects.get(key(kind, namespace, name.asString()));
        if (target == null) {
            throw new ImportException(from.describe() + ": " + path + ": no " + kind + " '" + name.asString()
                    + "' in namespace '" + namespace + "' among the documents");
        }
        return target;
    }

    private void dropArn(K8sObject object, ObjectNode spec, String member) {
        if (spec.remove(member) != null) {
            assembly.report(object.describe() + ": spec." + member + " names an existing AWS resource; dropped");
        }
    }

    private void dropOwner(K8sObject object, ObjectNode spec) {
        if (spec.remove("meshOwner") != null) {
            assembly.report(object.describe() + ": spec.meshOwner (a mesh shared from another account) has no meaning here; dropped");
        }
    }

    /** An annotation's value, which Kubernetes holds as text. */
    private static String text(JsonNode annotation, String path) {
        if (!annotation.isString()) {
            throw new ImportException(path + ": a text value (JSON) is needed");
        }
        return annotation.asString();
    }
}
