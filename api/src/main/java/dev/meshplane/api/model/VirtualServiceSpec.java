package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "A virtual service: its provider. Without one, callers resolve it through their own DNS.")
public record VirtualServiceSpec(
        @Valid VirtualServiceProvider provider) {
}
