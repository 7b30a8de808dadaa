package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum IpPreference {
    IPV6_PREFERRED("IPv6_PREFERRED"),
    IPV4_PREFERRED("IPv4_PREFERRED"),
    IPV4_ONLY("IPv4_ONLY"),
    IPV6_ONLY("IPv6_ONLY");

    private final String wireValue;

    IpPreference(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
