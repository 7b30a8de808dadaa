package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "A service this virtual node calls through its proxy.")
@ExactlyOneMember
public record Backend(
        @Valid VirtualServiceBackend virtualService) {
}
