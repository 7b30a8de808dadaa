package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the {@code AWS::AppMesh::*} resources of a CloudFormation template (YAML with short-form tags, or JSON;
 * also what the CDK synthesises) into an apply document, per the CloudFormation template reference:
 * <ul>
 * <li>Properties as the resource types define them ({@code MeshName}, {@code VirtualNodeName},
 *     {@code VirtualRouterName}, {@code RouteName}, ..., {@code MeshOwner}, {@code Spec}, {@code Tags}); the spec's
 *     PascalCase members are the API's in another case ({@link SpecShapes}), and values are converted as
 *     CloudFormation converts them ("8080" for 8080).</li>
 * <li>{@code Ref} to a parameter gives its value ({@code --parameter}, else its {@code Default}), to a pseudo
 *     parameter the value given for it ({@code AWS::Region}, {@code AWS::AccountId}; {@code AWS::Partition} is
 *     {@code aws}), to an App Mesh resource its ARN; {@code Fn::GetAtt} gives an App Mesh resource's
 *     {@code Arn}, {@code MeshName}, {@code VirtualNodeName} (and the other names), {@code MeshOwner} and
 *     {@code ResourceOwner}; {@code Fn::Sub}, {@code Fn::Join} and {@code Fn::Select} are evaluated. {@code Uid}
 *     exists only once AWS created the resource, and conditions ({@code Condition}, {@code Fn::If}) are not
 *     evaluated: both are refused, naming the resource and property path.</li>
 * <li>A resource without a name property is named by its logical id (CloudFormation would make one up); the
 *     report says so. {@code Metadata}, {@code DependsOn} (checked for cycles) and the CDK's
 *     {@code AWS::CDK::Metadata} are ignored; other resource types are skipped and reported.</li>
 * </ul>
 */
public final class CloudFormationImporter {

    private static final String PREFIX = "AWS::AppMesh::";
    private static final Map<String, ResourceKind> TYPES = Map.of(
            "Mesh", ResourceKind.MESH, "VirtualNode", ResourceKind.VIRTUAL_NODE, "VirtualRouter", ResourceKind.VIRTUAL_ROUTER,
            "Route", ResourceKind.ROUTE, "VirtualService", ResourceKind.VIRTUAL_SERVICE,
            "VirtualGateway", ResourceKind.VIRTUAL_GATEWAY, "GatewayRoute", ResourceKind.GATEWAY_ROUTE);
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "Metadata", "DependsOn",
            "DeletionPolicy", "UpdateReplacePolicy", "Condition", "CreationPolicy", "UpdatePolicy");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * How many resources one reference may pass through (a route's mesh is two away); a longer chain would
     * recurse once per resource, and a template of a few thousand would overflow the stack.
     */
    static final int MAX_REFERENCE_DEPTH = 64;
    /**
     * The longest value an intrinsic may resolve to: no App Mesh value is longer (the API model's longest strings
     * are 1,024 characters; an ARN at most 2,048), and {@code Fn::Sub}s of {@code Fn::Sub}s would otherwise double
     * at each step.
     */
    static final int MAX_VALUE_LENGTH = 4096;

    private final SourceDocument document;
    private final ImportOptions options;
    private final JsonNode resources;
    private final Map<String, String> parameters = new HashMap<>();
    private final Deque<String> resolving = new ArrayDeque<>();
    // each name property is resolved once: references to it reuse the value, so chains cost linear time
    private final Map<String, String> names = new HashMap<>();
    private final ImportAssembly assembly = new ImportAssembly();

    private CloudFormationImporter(SourceDocument document, ImportOptions options) {
        this.document = document;
        this.options = options;
        this.resources = document.content().path("Resources");
    }

    /**
     * The apply document for one template.
     *
     * @throws ImportException naming the template, the resource's logical id and the property path of what
     *         cannot be read: an unknown App Mesh type or property, an intrinsic that cannot be resolved, a cycle
     *         of references, a condition, a parameter without a value
     */
    public static ImportResult importTemplate(SourceDocument template, ImportOptions options) {
        return new CloudFormationImporter(template, options).read();
    }

    /** Whether a parsed document looks like a CloudFormation template. */
    public static boolean isTemplate(JsonNode content) {
        return content.isObject() && (content.has("Resources") || content.has("AWSTemplateFormatVersion"));
    }

    private ImportResult read() {
        if (!resources.isObject()) {
            throw new ImportException(document.where() + ": Resources: a map of resources is needed");
        }
        readParameters();
        checkDependsOnCycles();
        for (var entry : resources.properties()) {
            String id = entry.getKey();
            JsonNode resource = entry.getValue();
            String type = resource.path("Type").asString("");
            if (type.equals("AWS::CDK::Metadata")) {
                continue;
            }
            if (!type.startsWith(PREFIX)) {
                assembly.report(where(id) + ": " + (type.isEmpty() ? "no Type" : type) + " is not an App Mesh resource; skipped");
                continue;
            }
            ResourceKind kind = TYPES.get(type.substring(PREFIX.length()));
            if (kind == null) {
                throw new ImportException(where(id) + ".Type: unknown App Mesh type '" + type + "'; known: "
                        + String.join(", ", TYPES.keySet().stream().sorted().map(t -> PREFIX + t).toList()));
            }
            for (String key : resource.propertyNames()) {
                if (!RESOURCE_KEYS.contains(key)) {
                    throw new ImportException(where(id) + "." + key + ": not an attribute of a resource");
                }
            }
            if (resource.has("Condition")) {
                throw new ImportException(where(id) + ".Condition: conditions are not evaluated here; remove the"
                        + " condition, or the resource, for the stack you import");
            }
            readResource(id, kind, resource.path("Properties"));
        }
        return assembly.finish(options);
    }

    private void readResource(String id, ResourceKind kind, JsonNode properties) {
        if (!properties.isMissingNode() && !properties.isObject()) {
            throw new ImportException(where(id) + ".Properties: an object is needed");
        }
        Set<String> allowed = new java.util.HashSet<>(Set.of("MeshName", "MeshOwner", "Spec", "Tags"));
        allowed.add(pascal(ApplyKinds.nameMember(kind)));
        if (ApplyKinds.parentMember(kind) != null) {
            allowed.add(pascal(ApplyKinds.parentMember(kind)));
        }
        for (String key : properties.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new ImportException(where(id) + ".Properties." + key + ": not a property of " + PREFIX
                        + ApplyKinds.name(kind) + "; its properties are " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        String mesh = name(id, kind, "MeshName");
        String name = name(id, kind, pascal(ApplyKinds.nameMember(kind)));
        String parent = ApplyKinds.parentMember(kind) == null ? null : name(id, kind, pascal(ApplyKinds.parentMember(kind)));
        if (properties.has("MeshOwner")) {
            assembly.report(where(id) + ".Properties.MeshOwner (a mesh shared from another account) has no meaning here; dropped");
        }
        String path = where(id) + ".Properties";
        JsonNode spec = properties.has("Spec") ? resolve(properties.get("Spec"), path + ".Spec") : NODES.objectNode();
        JsonNode tags = properties.has("Tags") ? resolve(properties.get("Tags"), path + ".Tags") : NODES.missingNode();
        assembly.add(new ApplyResource(kind, mesh, parent, name, SpecShapes.canonical(spec, kind.specType(), path + ".Spec", true),
                SpecShapes.tags(tags, path + ".Tags", true), null), where(id));
    }

    /** A name property's value, resolved; a resource's own name defaults to its logical id. */
    private String name(String id, ResourceKind kind, String property) {
        JsonNode properties = resources.path(id).path("Properties");
        String path = where(id) + ".Properties." + property;
        if (!properties.has(property)) {
            boolean own = property.equals(pascal(ApplyKinds.nameMember(kind)));
            if (own) {
                assembly.report(path + ": not given; named by the logical id '" + id + "'");
                return id;
            }
            throw new ImportException(path + ": needed");
        }
        String known = names.get(id + "." + property);
        if (known != null) {
            return known;
        }
        JsonNode value = resolve(properties.get(property), path);
        if (!value.isString() || value.asString().isEmpty()) {
            throw new ImportException(path + ": a name is needed");
        }
        names.put(id + "." + property, value.asString());
        return value.asString();
    }

    private JsonNode resolve(JsonNode node, String path) {
        if (node.isObject() && node.size() == 1) {
            String function = node.propertyNames().iterator().next();
            if (function.equals("Ref") || function.startsWith("Fn::") || function.equals("Condition")) {
                String value = intrinsic(function, node.get(function), path + "." + function);
                return NODES.stringNode(bounded(value.length(), value, path + "." + function));
            }
        }
        if (node.isObject()) {
            ObjectNode result = NODES.objectNode();
            for (var member : node.properties()) {
                result.set(member.getKey(), resolve(member.getValue(), path + "." + member.getKey()));
            }
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                result.add(resolve(node.get(i), path + "[" + i + "]"));
            }
            return result;
        }
        return node;
    }

    private String intrinsic(String function, JsonNode argument, String path) {
        switch (function) {
            case "Ref" -> {
                return ref(text(argument, path), path);
            }
            case "Fn::GetAtt" -> {
                if (!argument.isArray() || argument.size() != 2) {
                    throw new ImportException(path + ": [logical id, attribute] is needed");
                }
                return getAtt(text(resolve(argument.get(0), path + "[0]"), path + "[0]"),
                        text(resolve(argument.get(1), path + "[1]"), path + "[1]"), path);
            }
            case "Fn::Sub" -> {
                return sub(argument, path);
            }
            case "Fn::Join" -> {
                JsonNode values = argument.isArray() && argument.size() == 2 ? resolveList(argument.get(1), path + "[1]") : null;
                if (values == null) {
                    throw new ImportException(path + ": [delimiter, [values]] is needed");
                }
                String delimiter = text(argument.get(0), path + "[0]");
                StringBuilder joined = new StringBuilder();
                for (int i = 0; i < values.size(); i++) {
                    joined.append(i == 0 ? "" : delimiter).append(text(values.get(i), path + "[1][" + i + "]"));
                    bounded(joined.length(), null, path);
                }
                return joined.toString();
            }
            case "Fn::Select" -> {
                JsonNode values = argument.isArray() && argument.size() == 2 ? resolveList(argument.get(1), path + "[1]") : null;
                String index = values == null ? "" : text(resolve(argument.get(0), path + "[0]"), path + "[0]");
                if (values == null || !index.matches("\\d{1,9}") || Integer.parseInt(index) >= values.size()) {
                    throw new ImportException(path + ": [index, [values]] with an index within the list is needed");
                }
                return text(values.get(Integer.parseInt(index)), path + "[1][" + index + "]");
            }
            default -> throw new ImportException(path + ": " + function + " cannot be resolved here (conditions are not"
                    + " evaluated; Ref, Fn::GetAtt, Fn::Sub, Fn::Join and Fn::Select are)");
        }
    }

    private JsonNode resolveList(JsonNode node, String path) {
        JsonNode list = resolve(node, path);
        return list.isArray() ? list : null;
    }

    private String ref(String target, String path) {
        if (parameters.containsKey(target)) {
            return parameters.get(target);
        }
        if (target.equals("AWS::Partition")) {
            return "aws";
        }
        if (target.equals("AWS::URLSuffix")) {
            return "amazonaws.com";
        }
        if (target.startsWith("AWS::")) {
            throw new ImportException(path + ": the pseudo parameter " + target + " needs a value: give "
                    + target + "=<value> (meshplane import --parameter)");
        }
        if (document.content().path("Parameters").has(target)) {
            throw new ImportException(path + ": the parameter '" + target + "' has no Default; give " + target
                    + "=<value> (meshplane import --parameter)");
        }
        return getAtt(target, "Arn", path);
    }

    private String getAtt(String id, String attribute, String path) {
        JsonNode resource = resources.path(id);
        if (!resource.isObject()) {
            throw new ImportException(path + ": no resource '" + id + "' in the template");
        }
        String type = resource.path("Type").asString("");
        ResourceKind kind = type.startsWith(PREFIX) ? TYPES.get(type.substring(PREFIX.length())) : null;
        if (kind == null) {
            throw new ImportException(path + ": '" + id + "' is a " + type + ", whose attributes exist only in AWS");
        }
        if (resolving.contains(id)) {
            throw new ImportException(path + ": a cycle of references: " + String.join(" -> ", resolving) + " -> " + id);
        }
        if (resolving.size() >= MAX_REFERENCE_DEPTH) {
            throw new ImportException(path + ": references chain through more than " + MAX_REFERENCE_DEPTH
                    + " resources (" + resolving.getLast() + " -> ... -> " + resolving.getFirst() + " -> " + id
                    + "); name the resources directly");
        }
        resolving.push(id);
        try {
            return switch (attribute) {
                case "MeshName" -> name(id, kind, "MeshName");
                case "MeshOwner", "ResourceOwner" -> ref("AWS::AccountId", path);
                case "Arn" -> arn(id, kind, path);
                case "Uid" -> throw new ImportException(path + ": " + id + ".Uid exists only once AWS has created the"
                        + " resource; use a name or the Arn");
                default -> {
                    boolean known = attribute.equals(pascal(ApplyKinds.nameMember(kind)))
                            || (ApplyKinds.parentMember(kind) != null && attribute.equals(pascal(ApplyKinds.parentMember(kind))));
                    if (!known) {
                        throw new ImportException(path + ": " + PREFIX + ApplyKinds.name(kind) + " has no attribute '" + attribute + "'");
                    }
                    yield name(id, kind, attribute);
                }
            };
        } finally {
            resolving.pop();
        }
    }

    private String arn(String id, ResourceKind kind, String path) {
        String prefix = "arn:" + ref("AWS::Partition", path) + ":appmesh:" + ref("AWS::Region", path) + ":"
                + ref("AWS::AccountId", path) + ":mesh/" + name(id, kind, "MeshName");
        String own = kind == ResourceKind.MESH ? "" : name(id, kind, pascal(ApplyKinds.nameMember(kind)));
        return switch (kind) {
            case MESH -> prefix;
            case ROUTE -> prefix + "/virtualRouter/" + name(id, kind, "VirtualRouterName") + "/route/" + own;
            case GATEWAY_ROUTE -> prefix + "/virtualGateway/" + name(id, kind, "VirtualGatewayName") + "/gatewayRoute/" + own;
            default -> prefix + "/" + Character.toLowerCase(ApplyKinds.name(kind).charAt(0)) + ApplyKinds.name(kind).substring(1) + "/" + own;
        };
    }

    private String sub(JsonNode argument, String path) {
        String template;
        Map<String, String> variables = new HashMap<>();
        if (argument.isArray() && argument.size() == 2 && argument.get(1).isObject()) {
            template = text(argument.get(0), path + "[0]");
            for (var variable : argument.get(1).properties()) {
                variables.put(variable.getKey(), text(resolve(variable.getValue(), path + "[1]." + variable.getKey()),
                        path + "[1]." + variable.getKey()));
            }
        } else {
            template = text(argument, path);
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value;
            if (variable.startsWith("!")) {
                value = "${" + variable.substring(1) + "}";
            } else if (variables.containsKey(variable)) {
                value = variables.get(variable);
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                int dot = variable.indexOf('.');
                value = getAtt(variable.substring(0, dot), variable.substring(dot + 1), path + " ${" + variable + "}");
            } else {
                value = ref(variable, path + " ${" + variable + "}");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
            bounded(result.length(), null, path);
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** {@code value} when {@code length} is within {@link #MAX_VALUE_LENGTH}; else refused, naming the path. */
    private static String bounded(int length, String value, String path) {
        if (length > MAX_VALUE_LENGTH) {
            throw new ImportException(path + ": resolves to more than " + MAX_VALUE_LENGTH
                    + " characters, longer than any App Mesh value");
        }
        return value;
    }

    private static String text(JsonNode node, String path) {
        if (node.isString() || node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        throw new ImportException(path + ": a text value is needed here");
    }

    private void readParameters() {
        JsonNode declared = document.content().path("Parameters");
        for (var parameter : declared.properties()) {
            JsonNode fallback = parameter.getValue().path("Default");
            if (!fallback.isMissingNode()) {
                parameters.put(parameter.getKey(), text(fallback, document.where() + " Parameters." + parameter.getKey() + ".Default"));
            }
        }
        for (var given : options.parameters().entrySet()) {
            if (!given.getKey().startsWith("AWS::") && !declared.has(given.getKey())) {
                throw new ImportException(document.where() + ": parameter " + given.getKey()
                        + " is not declared in the template's Parameters");
            }
            parameters.put(given.getKey(), given.getValue());
        }
    }

    private void checkDependsOnCycles() {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (var entry : resources.properties()) {
            JsonNode dependsOn = entry.getValue().path("DependsOn");
            List<String> targets = new ArrayList<>();
            if (dependsOn.isString()) {
                targets.add(dependsOn.asString());
            } else if (dependsOn.isArray()) {
                for (int i = 0; i < dependsOn.size(); i++) {
                    targets.add(text(dependsOn.get(i), where(entry.getKey()) + ".DependsOn[" + i + "]"));
                }
            } else if (!dependsOn.isMissingNode()) {
                throw new ImportException(where(entry.getKey()) + ".DependsOn: a logical id or a list of them is needed");
            }
            for (String target : targets) {
                if (!resources.has(target)) {
                    throw new ImportException(where(entry.getKey()) + ".DependsOn: no resource '" + target + "' in the template");
                }
            }
            edges.put(entry.getKey(), targets);
        }
        Set<String> done = new java.util.HashSet<>();
        for (String start : edges.keySet()) {
            visit(start, edges, new java.util.LinkedHashSet<>(), done);
        }
    }

    /** Depth first along DependsOn; {@code trail} is the path so far, in order (a set: a long chain stays linear). */
    private void visit(String id, Map<String, List<String>> edges, java.util.LinkedHashSet<String> trail, Set<String> done) {
        if (trail.contains(id)) {
            List<String> path = new ArrayList<>(trail);
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            throw new ImportException(where(path.get(path.size() - 1)) + ".DependsOn: a cycle: " + String.join(" -> ", cycle));
        }
        if (!done.add(id)) {
            return;
        }
        trail.add(id);
        for (String next : edges.get(id)) {
            visit(next, edges, trail, done);
        }
        trail.remove(id);
    }

    private String where(String id) {
        return document.where() + " Resources." + id;
    }

    private static String pascal(String member) {
        return Character.toUpperCase(member.charAt(0)) + member.substring(1);
    }
}
