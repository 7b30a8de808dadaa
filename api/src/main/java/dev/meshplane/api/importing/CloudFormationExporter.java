package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.json.AppMeshJson;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an apply document as a CloudFormation template (JSON) of {@code AWS::AppMesh::*} resources, which
 * {@link CloudFormationImporter} reads back to the same document: names of parents and of resources the spec
 * names are {@code Fn::GetAtt} of the resources the template holds (so CloudFormation orders their creation),
 * spec members are spelt as the CloudFormation resource specification spells them ({@code TLS}, {@code DNS},
 * {@code AWSCloudMap}, {@code ACM}, {@code SDS}, {@code HTTP}, {@code HTTP2}, {@code GRPC}, {@code TCP}, the rest in
 * PascalCase), tags as {@code Key}/{@code Value}. Versions are not written.
 */
public final class CloudFormationExporter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> SPELLINGS = Map.of("tls", "TLS", "dns", "DNS", "awsCloudMap", "AWSCloudMap",
            "acm", "ACM", "sds", "SDS", "http", "HTTP", "http2", "HTTP2", "grpc", "GRPC", "tcp", "TCP");

    private final Map<String, String> logicalIds = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    private CloudFormationExporter() {
    }

    /** The template as indented JSON. */
    public static String export(ApplyDocument document) {
        return AppMeshJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(new CloudFormationExporter().template(document));
    }

    private ObjectNode template(ApplyDocument document) {
        for (ApplyResource resource : document.resources()) {
            logicalIds.put(key(resource.kind(), resource.meshName(), resource.parentName(), resource.name()), logicalId(resource));
        }
        ObjectNode template = NODES.objectNode();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        template.put("Description", "App Mesh resources exported by Meshplane");
        ObjectNode resources = template.putObject("Resources");
        for (ApplyResource resource : document.resources()) {
            ObjectNode item = resources.putObject(logicalIds.get(key(resource.kind(), resource.meshName(), resource.parentName(), resource.name())));
            item.put("Type", "AWS::AppMesh::" + ApplyKinds.name(resource.kind()));
            ObjectNode properties = item.putObject("Properties");
            if (resource.kind() == ResourceKind.MESH) {
                properties.put("MeshName", resource.meshName());
            } else {
                properties.set("MeshName", name(ResourceKind.MESH, resource.meshName(), null, resource.meshName()));
                if (resource.kind() == ResourceKind.ROUTE) {
                    properties.set("VirtualRouterName", name(ResourceKind.VIRTUAL_ROUTER, resource.meshName(), null, resource.parentName()));
                } else if (resource.kind() == ResourceKind.GATEWAY_ROUTE) {
                    properties.set("VirtualGatewayName", name(ResourceKind.VIRTUAL_GATEWAY, resource.meshName(), null, resource.parentName()));
                }
                properties.put(pascal(ApplyKinds.nameMember(resource.kind())), resource.name());
            }
            ObjectNode spec = (ObjectNode) resource.spec().deepCopy();
            SpecReferences.forEach(resource.kind(), spec, (holder, member, target) ->
                    holder.set(member, name(target, resource.meshName(), null, holder.get(member).asString())));
            properties.set("Spec", pascalCase(spec));
            if (!resource.tags().isEmpty()) {
                ArrayNode tags = properties.putArray("Tags");
                resource.tags().forEach(tag -> tags.addObject().put("Key", tag.key()).put("Value", tag.value()));
            }
        }
        return template;
    }

    /** {@code Fn::GetAtt} of the resource's name when the template holds it, else the name itself. */
    private JsonNode name(ResourceKind kind, String mesh, String parent, String name) {
        String id = logicalIds.get(key(kind, mesh, parent, name));
        if (id == null) {
            return NODES.stringNode(name);
        }
        ObjectNode getAtt = NODES.objectNode();
        getAtt.putArray("Fn::GetAtt").add(id).add(pascal(ApplyKinds.nameMember(kind)));
        return getAtt;
    }

    private static JsonNode pascalCase(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.size() == 1 && object.propertyNames().iterator().next().startsWith("Fn::")) {
                return object;
            }
            ObjectNode result = NODES.objectNode();
            object.properties().forEach(member -> result.set(
                    SPELLINGS.getOrDefault(member.getKey(), pascal(member.getKey())), pascalCase(member.getValue())));
            return result;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode result = NODES.arrayNode();
            array.forEach(item -> result.add(pascalCase(item)));
            return result;
        }
        return node;
    }

    private String logicalId(ApplyResource resource) {
        String words = (resource.parentName() == null ? "" : resource.parentName() + "-") + resource.name();
        StringBuilder id = new StringBuilder(ApplyKinds.name(resource.kind()));
        for (String word : words.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        String base = id.substring(0, Math.min(id.length(), 240));
        String candidate = base;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = base + i;
        }
        return candidate;
    }

    private static String pascal(String member) {
        return Character.toUpperCase(member.charAt(0)) + member.substring(1);
    }

    private static String key(ResourceKind kind, String mesh, String parent, String name) {
        return kind + "/" + mesh + "/" + parent + "/" + name;
    }
}
