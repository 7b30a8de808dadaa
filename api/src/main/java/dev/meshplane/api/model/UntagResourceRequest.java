package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Body of a UntagResource request.")
public record UntagResourceRequest(
        @NotNull @Size(max = 50) List<@NotNull @Size(min = 1, max = 128) String> tagKeys) {
}
