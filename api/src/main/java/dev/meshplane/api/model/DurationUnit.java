package dev.meshplane.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Unit of a duration. */
public enum DurationUnit {
    S("s"),
    MS("ms");

    private final String wireValue;

    DurationUnit(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as it is written on the wire. */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }
}
