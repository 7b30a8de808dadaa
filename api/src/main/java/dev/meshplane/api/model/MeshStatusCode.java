package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum MeshStatusCode {
    ACTIVE("ACTIVE"),
    INACTIVE("INACTIVE"),
    DELETED("DELETED");

    private final String wireValue;

    MeshStatusCode(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
