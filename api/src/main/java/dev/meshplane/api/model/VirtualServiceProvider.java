package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "What serves a virtual service: a virtual node or a virtual router.")
@ExactlyOneMember
public record VirtualServiceProvider(
        @Valid VirtualNodeServiceProvider virtualNode,
        @Valid VirtualRouterServiceProvider virtualRouter) {
}
