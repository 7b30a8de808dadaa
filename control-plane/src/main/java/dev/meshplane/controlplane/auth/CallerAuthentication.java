package dev.meshplane.controlplane.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * What {@link AuthenticationFilter} learned about the caller, handed to Spring Security for the
 * decisions on each handler: the principal of a valid credential (a proxy credential's principal
 * has role proxy and names its nodes), or why the caller is not authenticated (no credentials, or which check its credential failed). The
 * filter decides nothing; {@code MeshPermissionEvaluator} does, on the values the handler acts on.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final transient Principal principal;
    private final String claimed;
    private final String failure;

    private CallerAuthentication(Principal principal, String claimed, String failure) {
        super(List.of());
        this.principal = principal;
        this.claimed = claimed;
        this.failure = failure;
        setAuthenticated(principal != null);
    }

    /** A caller with a valid credential of any kind (or the development principal). */
    static CallerAuthentication of(Principal principal) {
        return new CallerAuthentication(principal, principal.actor(), null);
    }

    /** A caller without valid credentials: who it claimed to be and why it failed, for the 401 and its audit row. */
    static CallerAuthentication unauthenticated(String claimed, String failure) {
        return new CallerAuthentication(null, claimed, failure);
    }

    /** The caller's principal, or null when it is not authenticated. */
    public Principal principal() {
        return principal;
    }

    /** Who the caller is or claimed to be, as the audit log names it. */
    public String claimed() {
        return claimed;
    }

    /** Why the caller is not authenticated ("no credentials", which check failed); null when it is. */
    public String failure() {
        return failure;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return principal == null ? claimed : principal;
    }

    @Override
    public String getName() {
        return claimed;
    }
}
