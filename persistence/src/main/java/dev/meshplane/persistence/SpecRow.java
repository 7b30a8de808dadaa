package dev.meshplane.persistence;

import dev.meshplane.api.resource.ResourceKind;
import java.util.UUID;

/**
 * One resource as translation needs it: where it is, which version, and its spec as stored.
 * {@code uid} and {@code version} together identify the spec's content.
 */
public record SpecRow(ResourceKind kind, String parent, String name, UUID uid, long version, String specJson) {
}
