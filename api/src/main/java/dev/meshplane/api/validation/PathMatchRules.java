package dev.meshplane.api.validation;

/**
 * What a path that a proxy compares with a request's path (a route's {@code prefix} or {@code path.exact}, an
 * authorization policy's {@code paths} and {@code prefixes}) may hold so that it can match a request at all.
 * Envoy compares every path matcher with the request path after cutting its query string and fragment
 * (source/common/common/matchers.cc, {@code PathMatcher::match}: {@code removeQueryAndFragment}), for routes
 * ({@code PrefixRouteEntryImpl}, {@code PathRouteEntryImpl} in router/config_impl.cc) and RBAC's {@code url_path}
 * alike, so a value holding a '?' or '#' matches no request: a route never taken, an ALLOW rule that lets nothing in,
 * a DENY rule that denies nothing, all silently. The API refuses such values and the pre-push check
 * (snapshot's {@code EnvoyLoadRules}) applies the same rule to what is emitted.
 */
public final class PathMatchRules {

    private PathMatchRules() {
    }

    /**
     * Why a path matcher value can match no request, or null when it can.
     *
     * @param value a prefix or exact path, as the user wrote it (null is fine)
     * @return the problem, starting with the quoted value, or null
     */
    public static String problem(String value) {
        if (value == null) {
            return null;
        }
        int query = value.indexOf('?');
        int fragment = value.indexOf('#');
        if (query < 0 && fragment < 0) {
            return null;
        }
        char found = query >= 0 && (fragment < 0 || query < fragment) ? '?' : '#';
        return "'" + value + "' holds a '" + found + "': Envoy compares paths without the request's query string and"
                + " fragment, so it would match no request";
    }
}
