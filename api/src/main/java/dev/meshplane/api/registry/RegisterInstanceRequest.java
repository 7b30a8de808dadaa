package dev.meshplane.api.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** Body of a registry PUT: registers an instance, or replaces and renews it. */
@Schema(description = "Registers an instance of a registry service (Meshplane's Cloud Map), or replaces and renews it."
        + " Virtual nodes with awsCloudMap service discovery select instances by namespace, service and attributes.")
public record RegisterInstanceRequest(
        @Schema(description = "AWS_INSTANCE_IPV4 and/or AWS_INSTANCE_IPV6 (the address), AWS_INSTANCE_PORT (else the"
                + " listener's port), and any custom attributes to select on, such as version.",
                example = "{\"AWS_INSTANCE_IPV4\": \"10.0.1.10\", \"AWS_INSTANCE_PORT\": \"8080\", \"version\": \"v1\"}")
        @NotNull @Size(min = 1, max = 30) Map<@NotNull String, @NotNull String> attributes,
        @Schema(description = "UNHEALTHY instances receive no traffic; HEALTHY when absent.")
        HealthStatus healthStatus,
        @Schema(description = "Seconds after which the instance stops receiving traffic unless registered again;"
                + " without it the instance stays until deleted.")
        @Min(1) @Max(86_400) Integer ttlSeconds) {
}
