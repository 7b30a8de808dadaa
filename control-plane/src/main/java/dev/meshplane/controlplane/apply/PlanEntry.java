package dev.meshplane.controlplane.apply;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What an apply does, or did, to one resource.
 *
 * @param action        created, updated, deleted (only with prune) or unchanged
 * @param index         the resource's position in the document; null for a deletion by prune
 * @param kind          Mesh, VirtualNode, VirtualService, VirtualRouter, Route, VirtualGateway or GatewayRoute
 * @param meshName      its mesh
 * @param parentName    the virtual router of a route, the virtual gateway of a gateway route; null otherwise
 * @param name          its name
 * @param versionBefore its version before the apply; null for a creation
 * @param versionAfter  its version after the apply; null for a deletion
 * @param changes       for an update, every field that changes; empty otherwise
 */
@Schema(description = "What an apply does to one resource, in the order it does it.")
public record PlanEntry(
        @Schema(allowableValues = {"created", "updated", "deleted", "unchanged"}) String action,
        Integer index,
        String kind,
        String meshName,
        String parentName,
        String name,
        Long versionBefore,
        Long versionAfter,
        List<FieldChange> changes) {
}
