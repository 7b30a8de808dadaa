package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Protocol of a port. */
public enum PortProtocol {
    HTTP("http"),
    TCP("tcp"),
    HTTP2("http2"),
    GRPC("grpc");

    private final String wireValue;

    PortProtocol(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
