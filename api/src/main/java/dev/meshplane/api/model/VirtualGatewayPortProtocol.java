package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum VirtualGatewayPortProtocol {
    HTTP("http"),
    HTTP2("http2"),
    GRPC("grpc");

    private final String wireValue;

    VirtualGatewayPortProtocol(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
