package dev.meshplane.api.importing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ACM certificates and ACM Private CA trusts in imported specs. They exist only inside AWS and the API refuses
 * them (SpecRules' {@code noAcm}); with {@code acm=built-in} a certificate becomes the SDS secret
 * {@code meshplane:identity} (the proxy's certificate from the mesh's CA) and a trust {@code meshplane:trust}
 * (the mesh's trust bundle), as docs/security.md names them, which is how the API expresses the built-in mTLS.
 */
final class AcmCertificates {

    static final String IDENTITY = "meshplane:identity";
    static final String TRUST = "meshplane:trust";

    private AcmCertificates() {
    }

    /**
     * Replaces every resource's ACM members per {@code options}, or refuses them all in one message.
     *
     * @param where for each resource, how messages name the document it came from
     * @throws ImportException listing each resource and path holding an ACM member, and the option to give
     */
    static List<ApplyResource> resolve(List<ApplyResource> resources, Map<ApplyResource, String> where,
                                       ImportOptions options, List<String> report) {
        List<String> found = new ArrayList<>();
        List<ApplyResource> result = new ArrayList<>();
        for (ApplyResource resource : resources) {
            List<String> paths = new ArrayList<>();
            JsonNode spec = resource.spec().deepCopy();
            replace(spec, null, "spec", paths);
            paths.forEach(path -> found.add(where.get(resource) + " (" + resource.describe() + "): " + path));
            result.add(paths.isEmpty() ? resource : new ApplyResource(resource.kind(), resource.meshName(),
                    resource.parentName(), resource.name(), spec, resource.tags(), resource.version()));
        }
        if (found.isEmpty()) {
            return resources;
        }
        if (!options.acmBuiltIn()) {
            throw new ImportException("ACM certificates exist only inside AWS: " + String.join("; ", found)
                    + ". Give acm=built-in (meshplane import --acm=built-in) to use the mesh's own CA instead");
        }
        found.forEach(line -> report.add(line + ": ACM replaced by Meshplane's CA (" + IDENTITY + " / " + TRUST + ")"));
        return result;
    }

    private static void replace(JsonNode node, String parentMember, String path, List<String> paths) {
        if (node instanceof ObjectNode object) {
            if (object.has("acm")) {
                paths.add(path + ".acm");
                object.remove("acm");
                object.putObject("sds").put("secretName", "certificate".equals(parentMember) ? IDENTITY : TRUST);
            }
            for (var member : object.properties()) {
                replace(member.getValue(), member.getKey(), path + "." + member.getKey(), paths);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                replace(node.get(i), parentMember, path + "[" + i + "]", paths);
            }
        }
    }
}
