package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "What a gateway route matches and where it sends traffic; exactly one of the protocol routes is set.")
public record GatewayRouteSpec(
        @Valid GrpcGatewayRoute grpcRoute,
        @Valid HttpGatewayRoute http2Route,
        @Valid HttpGatewayRoute httpRoute,
        @Min(0) @Max(1000) Integer priority) {
}
