package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Where a virtual node's Envoy writes its access log.")
@ExactlyOneMember
public record AccessLog(
        @Valid FileAccessLog file) {
}
