package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum VirtualGatewayListenerTlsMode {
    STRICT("STRICT"),
    PERMISSIVE("PERMISSIVE"),
    DISABLED("DISABLED");

    private final String wireValue;

    VirtualGatewayListenerTlsMode(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
