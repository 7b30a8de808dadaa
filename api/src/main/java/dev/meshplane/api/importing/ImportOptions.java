package dev.meshplane.api.importing;

import java.util.Map;

/**
 * Choices an import needs from its user.
 *
 * @param mesh the mesh of Kubernetes objects without {@code spec.meshRef} (the controller takes it from the
 *        namespace's mesh selector, which has no meaning here); null: the one Mesh among the documents
 * @param namespace the namespace of Kubernetes objects without {@code metadata.namespace}; null: {@code default}
 * @param acmBuiltIn whether ACM certificates and ACM Private CA trusts become Meshplane's own CA's SDS
 *        secrets ({@code meshplane:identity}, {@code meshplane:trust}); otherwise they are refused
 * @param router the VirtualRouter (its Kubernetes name, in the Route's namespace) that bare {@code kind: Route}
 *        documents attach to; null: such documents are refused
 * @param parameters CloudFormation parameter values (and pseudo parameters such as {@code AWS::Region}),
 *        overriding the template's defaults
 */
public record ImportOptions(String mesh, String namespace, boolean acmBuiltIn, String router, Map<String, String> parameters) {

    public ImportOptions {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** No choices made: everything that needs one is refused. */
    public static ImportOptions none() {
        return new ImportOptions(null, null, false, null, Map.of());
    }

    /** The namespace of objects that name none. */
    String namespaceOrDefault() {
        return namespace == null ? "default" : namespace;
    }
}
