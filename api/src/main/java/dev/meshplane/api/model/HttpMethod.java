package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum HttpMethod {
    GET("GET"),
    HEAD("HEAD"),
    POST("POST"),
    PUT("PUT"),
    DELETE("DELETE"),
    CONNECT("CONNECT"),
    OPTIONS("OPTIONS"),
    TRACE("TRACE"),
    PATCH("PATCH");

    private final String wireValue;

    HttpMethod(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
