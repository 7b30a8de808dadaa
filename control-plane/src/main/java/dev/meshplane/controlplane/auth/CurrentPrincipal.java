package dev.meshplane.controlplane.auth;

/** The principal of the request being served on this thread (set by {@link AuthenticationFilter}). */
public final class CurrentPrincipal {

    private static final ThreadLocal<Principal> CURRENT = new ThreadLocal<>();

    private CurrentPrincipal() {
    }

    static void set(Principal principal) {
        CURRENT.set(principal);
    }

    static void clear() {
        CURRENT.remove();
    }

    /** The caller, or the development principal outside a request (start-up jobs, tests calling beans). */
    public static Principal get() {
        Principal principal = CURRENT.get();
        return principal == null ? Principal.DEVELOPMENT : principal;
    }
}
