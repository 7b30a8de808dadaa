package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "What a gRPC route matches: service name, method name, metadata, port.")
public record GrpcRouteMatch(
        @Size(min = 1, max = 10) List<@NotNull @Valid GrpcRouteMetadata> metadata,
        @Size(min = 1, max = 50) String methodName,
        @Min(1) @Max(65535) Integer port,
        String serviceName) {
}
