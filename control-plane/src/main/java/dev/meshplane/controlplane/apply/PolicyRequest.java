package dev.meshplane.controlplane.apply;

import dev.meshplane.api.security.AuthorizationPolicySpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** An {@code AuthorizationPolicy} item of an apply document, once kind, meshName and version are taken out. */
public record PolicyRequest(@NotNull String policyName, @NotNull @Valid AuthorizationPolicySpec spec) {
}
