package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum DefaultGatewayRouteRewrite {
    ENABLED("ENABLED"),
    DISABLED("DISABLED");

    private final String wireValue;

    DefaultGatewayRouteRewrite(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
