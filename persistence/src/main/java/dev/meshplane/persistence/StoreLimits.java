package dev.meshplane.persistence;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Quotas, App Mesh's defaults unless configured under {@code meshplane.limits.*}. Like App Mesh's
 * they exist to catch runaway automation; raise them freely.
 */
@ConfigurationProperties("meshplane.limits")
public record StoreLimits(
        @DefaultValue("15") int meshes,
        @DefaultValue("200") int virtualServicesPerMesh,
        @DefaultValue("200") int virtualNodesPerMesh,
        @DefaultValue("200") int virtualRoutersPerMesh,
        @DefaultValue("50") int routesPerVirtualRouter,
        @DefaultValue("50") int virtualGatewaysPerMesh,
        @DefaultValue("50") int gatewayRoutesPerVirtualGateway,
        @DefaultValue("50") int backendsPerVirtualNode,
        @DefaultValue("50") int tagsPerResource) {
}
