package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Selects endpoints from Meshplane's instance registry (the Cloud Map equivalent) by namespace, service and attributes.")
public record AwsCloudMapServiceDiscovery(
        List<@NotNull @Valid AwsCloudMapInstanceAttribute> attributes,
        IpPreference ipPreference,
        @NotNull @Size(min = 1, max = 1024) String namespaceName,
        @NotNull @Size(min = 1, max = 1024) String serviceName) {
}
