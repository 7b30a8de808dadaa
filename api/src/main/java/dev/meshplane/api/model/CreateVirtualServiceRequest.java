package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema(description = "Body of a CreateVirtualService request.")
public record CreateVirtualServiceRequest(
        String clientToken,
        @NotNull @Valid VirtualServiceSpec spec,
        List<@NotNull @Valid TagRef> tags,
        @NotNull String virtualServiceName) {
}
