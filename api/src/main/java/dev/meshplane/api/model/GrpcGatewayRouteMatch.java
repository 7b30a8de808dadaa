package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "What a gRPC gateway route matches: service name, host name, metadata, port.")
public record GrpcGatewayRouteMatch(
        @Valid GatewayRouteHostnameMatch hostname,
        @Size(min = 1, max = 10) List<@NotNull @Valid GrpcGatewayRouteMetadata> metadata,
        @Min(1) @Max(65535) Integer port,
        String serviceName) {
}
