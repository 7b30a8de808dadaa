package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Active health check of a virtual node listener's endpoints.")
public record HealthCheckPolicy(
        @NotNull @Min(2) @Max(10) Integer healthyThreshold,
        @NotNull @Min(5000) @Max(300000) Long intervalMillis,
        String path,
        @Min(1) @Max(65535) Integer port,
        @NotNull PortProtocol protocol,
        @NotNull @Min(2000) @Max(60000) Long timeoutMillis,
        @NotNull @Min(2) @Max(10) Integer unhealthyThreshold) {
}
