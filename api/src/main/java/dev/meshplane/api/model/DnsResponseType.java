package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum DnsResponseType {
    LOADBALANCER("LOADBALANCER"),
    ENDPOINTS("ENDPOINTS");

    private final String wireValue;

    DnsResponseType(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
