package dev.meshplane.persistence;

import dev.meshplane.api.resource.ResourceKind;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.util.Objects;

/** A resource in the same mesh that a stored spec names. */
@Embeddable
public class ReferenceTarget {

    @Enumerated(EnumType.STRING)
    @Column(name = "target_kind", nullable = false)
    private ResourceKind kind;

    @Column(name = "target_name", nullable = false)
    private String name;

    protected ReferenceTarget() {
    }

    ReferenceTarget(ResourceKind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReferenceTarget r && r.kind == kind && Objects.equals(r.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }
}
