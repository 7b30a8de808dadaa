package dev.meshplane.api.security;

import com.fasterxml.jackson.annotation.JsonValue;

/** The mesh-wide mTLS switch. */
public enum MtlsMode {
    STRICT, PERMISSIVE, DISABLED;

    @JsonValue
    public String wireValue() {
        return name();
    }
}
