package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema(description = "Body of a ListVirtualServices response.")
public record ListVirtualServicesResponse(
        String nextToken,
        @NotNull List<@NotNull @Valid VirtualServiceRef> virtualServices) {
}
