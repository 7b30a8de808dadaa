package dev.meshplane.controlplane.apply;

import dev.meshplane.api.security.AuthorizationPolicySpec;

/**
 * One authorization policy of an apply document, decoded and validated as PutAuthorizationPolicy does.
 *
 * @param index   its position in the document's {@code resources}
 * @param at      how messages name its place in what the user sent: {@code resources[3]}, or the imported
 *                document it came from
 * @param mesh    its mesh
 * @param name    its name
 * @param spec    what it allows or denies
 * @param version the version the document expects it to be at, or null to take the one read when planning
 */
public record DesiredPolicy(int index, String at, String mesh, String name, AuthorizationPolicySpec spec, Long version) {

    /** How messages name it: {@code resources[3] (authorization policy 'p' in mesh 'm')}. */
    public String label() {
        return at + " (authorization policy '" + name + "' in mesh '" + mesh + "')";
    }
}
