package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Connection limits of a virtual node listener, for its protocol.")
@ExactlyOneMember
public record VirtualNodeConnectionPool(
        @Valid VirtualNodeGrpcConnectionPool grpc,
        @Valid VirtualNodeHttpConnectionPool http,
        @Valid VirtualNodeHttp2ConnectionPool http2,
        @Valid VirtualNodeTcpConnectionPool tcp) {
}
