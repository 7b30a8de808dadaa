package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

public enum GrpcRetryPolicyEvent {
    CANCELLED("cancelled"),
    DEADLINE_EXCEEDED("deadline-exceeded"),
    INTERNAL("internal"),
    RESOURCE_EXHAUSTED("resource-exhausted"),
    UNAVAILABLE("unavailable");

    private final String wireValue;

    GrpcRetryPolicyEvent(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
