package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum TcpRetryPolicyEvent {
    CONNECTION_ERROR("connection-error");

    private final String wireValue;

    TcpRetryPolicyEvent(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
