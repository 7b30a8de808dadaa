package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Body of a UpdateVirtualService request.")
public record UpdateVirtualServiceRequest(
        String clientToken,
        @NotNull @Valid VirtualServiceSpec spec) {
}
