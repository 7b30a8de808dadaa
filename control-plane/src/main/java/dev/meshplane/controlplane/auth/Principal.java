package dev.meshplane.controlplane.auth;

import java.util.Set;

/**
 * Who is calling: a credential's id and name, its role, and the meshes it may act on ({@code *}:
 * all). Roles: viewer reads, editor also writes a mesh's resources, admin also manages its security
 * settings, and admin on {@code *} manages credentials, creates meshes and reads the audit log.
 */
public record Principal(String id, String name, Role role, Set<String> meshes) {

    public enum Role {
        VIEWER, EDITOR, ADMIN;

        static Role parse(String text) {
            return Role.valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }

        boolean atLeast(Role other) {
            return ordinal() >= other.ordinal();
        }
    }

    /** Development mode: authentication is off and every call acts as this. */
    static final Principal DEVELOPMENT = new Principal("development", "development mode (authentication off)",
            Role.ADMIN, Set.of("*"));

    /** May act on this mesh with at least this role ({@code mesh} null: on any mesh at all). */
    public boolean may(Role needed, String mesh) {
        if (!role.atLeast(needed)) {
            return false;
        }
        return mesh == null ? !meshes.isEmpty() : meshes.contains("*") || meshes.contains(mesh);
    }

    /** The actor written into the audit log. */
    public String actor() {
        return name + " (" + id + ")";
    }
}
