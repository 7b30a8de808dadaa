package dev.meshplane.api.importing;

import java.util.Map;

/**
 * Choices an import needs from its user.
 *
 * @param mesh the mesh of Kubernetes objects without {@code spec.meshRef}; null: as the controller designates it,
 *        the Mesh whose {@code namespaceSelector} selects the object's Namespace (when that Namespace is among
 *        the documents), else the one Mesh among the documents
 * @param namespace the namespace of Kubernetes objects without {@code metadata.namespace}; null: {@code default}
 * @param acmBuiltIn whether ACM certificates and ACM Private CA trusts become Meshplane's own CA's SDS
 *        secrets ({@code meshplane:identity}, {@code meshplane:trust}); otherwise they are refused
 * @param router the VirtualRouter (its Kubernetes name, in the Route's namespace) that bare {@code kind: Route}
 *        documents attach to; null: such documents are refused
 * @param parameters CloudFormation parameter values (and pseudo parameters such as {@code AWS::Region}),
 *        overriding the template's defaults
 * @param gateway the VirtualGateway (its Kubernetes name, in the GatewayRoute's namespace) of GatewayRoutes without
 *        {@code spec.virtualGatewayRef}; null: as the controller designates it, the VirtualGateway whose
 *        {@code namespaceSelector} and {@code gatewayRouteSelector} select it (when its Namespace is among the
 *        documents), else the one VirtualGateway among the documents
 */
public record ImportOptions(String mesh, String namespace, boolean acmBuiltIn, String router, Map<String, String> parameters,
                            String gateway) {

    public ImportOptions {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** No choices made: everything that needs one is refused. */
    public static ImportOptions none() {
        return new ImportOptions(null, null, false, null, Map.of(), null);
    }

    /** The namespace of objects that name none. */
    String namespaceOrDefault() {
        return namespace == null ? "default" : namespace;
    }
}
