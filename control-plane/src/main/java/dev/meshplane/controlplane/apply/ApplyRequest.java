package dev.meshplane.controlplane.apply;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/apply}: the resources, each in the shape of its App Mesh Create request. */
@Schema(description = "Resources in App Mesh API shape. Each item has 'kind' (Mesh, VirtualNode, VirtualService,"
        + " VirtualRouter, Route, VirtualGateway, GatewayRoute), 'meshName', 'virtualRouterName' for a Route,"
        + " 'virtualGatewayName' for a GatewayRoute, an optional 'version' it is expected to be at, and the members of"
        + " its Create request: its name member (meshName, virtualNodeName, routeName, ...), 'spec' and optional"
        + " 'tags' (absent: tags are left as they are; present: exactly these). An 'AuthorizationPolicy' item has"
        + " 'meshName', 'policyName', 'spec' (an AuthorizationPolicySpec) and an optional 'version'.")
public record ApplyRequest(@NotNull List<@NotNull Map<String, Object>> resources) {
}
