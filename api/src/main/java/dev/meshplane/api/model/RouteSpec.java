package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "What a route matches and where it sends traffic; exactly one of the protocol routes is set. Lower priority values are evaluated first.")
public record RouteSpec(
        @Valid GrpcRoute grpcRoute,
        @Valid HttpRoute http2Route,
        @Valid HttpRoute httpRoute,
        @Min(0) @Max(1000) Integer priority,
        @Valid TcpRoute tcpRoute) {
}
