package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** ALLOW_ALL passes traffic to unknown destinations; DROP_ALL drops it. */
public enum EgressFilterType {
    ALLOW_ALL("ALLOW_ALL"),
    DROP_ALL("DROP_ALL");

    private final String wireValue;

    EgressFilterType(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
