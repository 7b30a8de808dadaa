package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(description = "A key/value pair an instance must carry in the registry to be selected.")
public record AwsCloudMapInstanceAttribute(
        @NotNull @Size(min = 1, max = 255) @Pattern(regexp = "^[a-zA-Z0-9!-~]+$") String key,
        @NotNull @Size(min = 1, max = 1024) @Pattern(regexp = "^([a-zA-Z0-9!-~][  a-zA-Z0-9!-~]*){0,1}[a-zA-Z0-9!-~]{0,1}$") String value) {
}
