package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Timeouts of a virtual node listener, for its protocol.")
@ExactlyOneMember
public record ListenerTimeout(
        @Valid GrpcTimeout grpc,
        @Valid HttpTimeout http,
        @Valid HttpTimeout http2,
        @Valid TcpTimeout tcp) {
}
