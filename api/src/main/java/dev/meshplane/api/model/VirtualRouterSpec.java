package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema(description = "A virtual router: the ports and protocols it routes.")
public record VirtualRouterSpec(
        List<@NotNull @Valid VirtualRouterListener> listeners) {
}
