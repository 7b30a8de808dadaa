package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum HttpScheme {
    HTTP("http"),
    HTTPS("https");

    private final String wireValue;

    HttpScheme(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
