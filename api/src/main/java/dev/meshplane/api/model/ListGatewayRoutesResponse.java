package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema(description = "Body of a ListGatewayRoutes response.")
public record ListGatewayRoutesResponse(
        @NotNull List<@NotNull @Valid GatewayRouteRef> gatewayRoutes,
        String nextToken) {
}
