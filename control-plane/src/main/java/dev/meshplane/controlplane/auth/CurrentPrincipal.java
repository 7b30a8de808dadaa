package dev.meshplane.controlplane.auth;

import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The principal of the request being served on this thread, as {@link AuthenticationFilter} put it in Spring Security's context. */
public final class CurrentPrincipal {

    /** A caller without valid credentials: it may act on no mesh. */
    static final Principal NOBODY = new Principal("anonymous", "anonymous", Principal.Role.VIEWER, Set.of());

    private CurrentPrincipal() {
    }

    /**
     * The caller; {@link #NOBODY} for a request without valid credentials; the development
     * principal outside a request (start-up jobs, tests calling beans).
     */
    public static Principal get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof CallerAuthentication caller) {
            return caller.principal() == null || caller.principal().role() == Principal.Role.PROXY ? NOBODY : caller.principal();
        }
        return Principal.DEVELOPMENT;
    }
}
