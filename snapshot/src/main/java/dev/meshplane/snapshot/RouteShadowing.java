package dev.meshplane.snapshot;

import dev.meshplane.api.model.PortProtocol;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shadowed routes: a route of a virtual host that can never be taken, because a route tried before it matches every
 * request it matches. Envoy and gRPC clients take the first route of a virtual host that matches (Envoy's
 * {@code VirtualHostImpl::getRouteFromEntries} in {@code source/common/router/config_impl.cc}; grpc-java's
 * {@code XdsNameResolver}, the first route {@code RoutingUtils.matchRoute} accepts; C-core's
 * {@code XdsRouting::GetRouteForRequest} in {@code xds_routing.cc}), so such routes, which App Mesh accepted, would be
 * silently unused: each one is reported in {@code /v1/proxies} translationNotes, never refused. For gRPC clients it is
 * judged on what they are sent, after the routes they skip are left out ({@link GrpcClientTranslator}), and on
 * {@link GrpcClientForms}' matchers, which every client reads as Envoy does.
 *
 * <p>The rule is conservative: a route is reported only when one before it provably matches a superset of its
 * requests, judged on the Envoy route matches translation emits (so priority, longest match, port, method, scheme,
 * gRPC service, method and metadata are all as the client sees them). Anything this class does not model (regexes
 * other than one matching everything, case-insensitive matching, runtime fractions, TLS or metadata matches) is
 * taken as "not proven", so it is never reported.
 */
public final class RouteShadowing {

    /** Route {@code route} of a virtual host is never taken: {@code by}, before it, matches all it matches. */
    record Shadow(String route, String by) {
    }

    /** RE2 patterns that fully match any path or header value (neither holds a newline: HTTP forbids one). */
    private static final Set<String> MATCHES_EVERYTHING = Set.of(".*", "^.*", ".*$", "^.*$", "(.*)", "^(.*)$");

    private RouteShadowing() {
    }

    /**
     * The resources with a note after their own for every shadowed route of their route configurations: "route
     * configuration c, virtual host h: route 'b' is shadowed by route 'a' ...". Uses the memo's per-virtual-host results.
     */
    static ProxyResources noted(TranslationMemo memo, ProxyResources resources) {
        List<String> notes = new ArrayList<>();
        for (RouteConfiguration config : resources.routes()) {
            for (VirtualHost host : config.getVirtualHostsList()) {
                for (Shadow shadow : memo.shadowed(host)) {
                    notes.add("route configuration " + config.getName() + ", virtual host " + host.getName() + ": route '"
                            + shadow.route() + "' is shadowed by route '" + shadow.by() + "', which comes before it and"
                            + " matches every request it matches, so it is never taken; to have it taken, give it a lower"
                            + " priority number than '" + shadow.by() + "' or narrow that route's match");
                }
            }
        }
        return resources.withNotes(notes);
    }

    /**
     * A virtual router's shadowed routes as its callers' Envoys are sent them (the service graph shows them): each
     * shadowed route's name to the name of the route that shadows it, on the first of the router's ports where it is
     * shadowed. Empty for an unknown router or one with none; raises nothing. The same rule as {@code /v1/proxies}
     * applies (docs/xds.md, "Shadowed routes").
     */
    public static Map<String, String> ofRouter(MeshView view, String router) {
        Map<String, String> shadowed = new TreeMap<>();
        for (ServiceRouting.ServicePort port : ServiceRouting.routerProvider(view, router)) {
            List<Shadow> shadows;
            if (port.protocol() == PortProtocol.TCP) {
                shadows = tcp(port);
            } else {
                VirtualHost.Builder host = VirtualHost.newBuilder();
                port.routes().forEach(rule -> host.addRoutes(RouteTranslator.translate(view.mesh(), rule, false)));
                shadows = shadowed(host.build());
            }
            shadows.forEach(shadow -> shadowed.putIfAbsent(shadow.route(), shadow.by()));
        }
        return shadowed;
    }

    /**
     * The notes for the TCP routes of a backend's port that its callers' Envoy never uses: a TCP route matches nothing
     * but its port, and Envoy's TCP proxy sends every connection of the port to the first route's targets
     * ({@code SidecarTranslator}), so each route after the first is shadowed by it.
     */
    static List<String> tcpNotes(String service, ServiceRouting.ServicePort port) {
        return tcp(port).stream().map(shadow -> "TCP port " + port.port() + ", virtual service " + service + ": route '"
                + shadow.route() + "' is shadowed by route '" + shadow.by() + "', which comes before it and takes every"
                + " connection, so it is never taken; Envoy's TCP proxy tells no connections on one port apart, so"
                + " put both routes' targets in one route's weightedTargets").toList();
    }

    private static List<Shadow> tcp(ServiceRouting.ServicePort port) {
        List<ServiceRouting.RouteRule> rules = port.routes();
        // skip(1) leaves out the first TCP route, the one tcp_proxy takes: every later route is reported as shadowed
        // by it (translation, not a test: nothing is switched off)
        return rules.stream().skip(1).map(rule -> new Shadow(rule.name(), rules.get(0).name())).toList();
    }

    /**
     * The shadowed routes of a virtual host, each with the first route before it that matches all it matches.
     * Quadratic in the host's routes, which is acceptable: it runs once per distinct virtual host of a mesh view
     * ({@link TranslationMemo#shadowed}), and a host holds a router's routes, tens at most.
     */
    static List<Shadow> shadowed(VirtualHost host) {
        List<Route> routes = host.getRoutesList();
        List<Shadow> shadows = new ArrayList<>();
        for (int later = 1; later < routes.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (covers(routes.get(earlier).getMatch(), routes.get(later).getMatch())) {
                    shadows.add(new Shadow(routes.get(later).getName(), routes.get(earlier).getName()));
                    break;
                }
            }
        }
        return shadows;
    }

    /**
     * Whether every request {@code later} matches is provably matched by {@code earlier}: its path is covered, and each
     * of its header and query parameter matchers is implied by one of {@code later}'s on the same name (Envoy requires
     * all of a route's matchers: {@code HeaderUtility::matchHeaders}, {@code ConfigUtility::matchQueryParams}).
     */
    static boolean covers(RouteMatch earlier, RouteMatch later) {
        if (!modelled(earlier) || !modelled(later) || !path(earlier, later)) {
            return false;
        }
        for (HeaderMatcher a : earlier.getHeadersList()) {
            if (later.getHeadersList().stream().noneMatch(b -> implies(b, a))) {
                return false;
            }
        }
        for (QueryParameterMatcher a : earlier.getQueryParametersList()) {
            if (later.getQueryParametersList().stream().noneMatch(b -> implies(b, a))) {
                return false;
            }
        }
        return true;
    }

    /** A match made only of what this class models: a prefix, exact path or regex, headers and query parameters. */
    private static boolean modelled(RouteMatch match) {
        RouteMatch.PathSpecifierCase path = match.getPathSpecifierCase();
        return (path == RouteMatch.PathSpecifierCase.PREFIX || path == RouteMatch.PathSpecifierCase.PATH
                || path == RouteMatch.PathSpecifierCase.SAFE_REGEX)
                && (!match.hasCaseSensitive() || match.getCaseSensitive().getValue())
                && !match.hasRuntimeFraction() && !match.hasGrpc() && !match.hasTlsContext()
                && match.getDynamicMetadataCount() == 0 && match.getFilterStateCount() == 0;
    }

    /**
     * Whether {@code earlier}'s path matcher matches every path {@code later}'s does. A prefix covers a longer prefix or
     * an exact path it begins; an exact path only itself; a regex only the same regex, unless it matches everything.
     */
    private static boolean path(RouteMatch earlier, RouteMatch later) {
        return switch (earlier.getPathSpecifierCase()) {
            case PREFIX -> switch (later.getPathSpecifierCase()) {
                case PREFIX -> later.getPrefix().startsWith(earlier.getPrefix());
                case PATH -> later.getPath().startsWith(earlier.getPrefix());
                default -> earlier.getPrefix().isEmpty();
            };
            case PATH -> later.hasPath() && later.getPath().equals(earlier.getPath());
            case SAFE_REGEX -> MATCHES_EVERYTHING.contains(earlier.getSafeRegex().getRegex())
                    || later.hasSafeRegex() && later.getSafeRegex().getRegex().equals(earlier.getSafeRegex().getRegex());
            default -> false;
        };
    }

    /**
     * Whether a request that satisfies header matcher {@code b} always satisfies {@code a}. Envoy's
     * {@code HeaderUtility::matchHeaders} ({@code source/common/http/header_utility.cc}): a header the request lacks
     * satisfies only an inverted present match; one it carries (its values joined by commas) satisfies a matcher whose
     * value test, flipped by {@code invert_match}, passes. Names are compared as Envoy does, without regard to case.
     */
    private static boolean implies(HeaderMatcher b, HeaderMatcher a) {
        if (!b.getName().equalsIgnoreCase(a.getName())) {
            return false;
        }
        Values bValues = Values.of(b);
        Values aValues = Values.of(a);
        if (bValues == null || aValues == null) {
            return false;
        }
        if (takesAbsent(b) && !takesAbsent(a)) {
            return false;
        }
        // then every value b accepts must be one a accepts
        if (b.getInvertMatch() && bValues == Values.ANY || !a.getInvertMatch() && aValues == Values.ANY) {
            return true;
        }
        if (a.getInvertMatch() && aValues == Values.ANY) {
            return false;
        }
        if (!b.getInvertMatch() && !a.getInvertMatch()) {
            return bValues.within(aValues);
        }
        if (b.getInvertMatch() && a.getInvertMatch()) {
            return aValues.within(bValues);
        }
        // b inverted, a not: what b leaves (all but a set) is never provably inside a's set; b plain, a inverted: b's
        // values must avoid all of a's
        return !b.getInvertMatch() && bValues.disjoint(aValues);
    }

    /** Whether a request without the header satisfies the matcher: only an inverted present match (header_utility.cc). */
    private static boolean takesAbsent(HeaderMatcher header) {
        HeaderMatcher.HeaderMatchSpecifierCase kind = header.getHeaderMatchSpecifierCase();
        return header.getInvertMatch() && (kind == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET
                || kind == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH && header.getPresentMatch());
    }

    /** Whether a request that satisfies query parameter matcher {@code b} always satisfies {@code a} (both need the parameter). */
    private static boolean implies(QueryParameterMatcher b, QueryParameterMatcher a) {
        if (!b.getName().equals(a.getName())) {
            return false;
        }
        Values aValues = Values.of(a);
        Values bValues = Values.of(b);
        return aValues != null && bValues != null && bValues.within(aValues);
    }

    /**
     * The set of values a matcher accepts before inversion: every value ({@link #ANY}), one exact value, the values with
     * a prefix, a suffix, a substring, a regex's, or the integers of a half-open range. Null when not modelled.
     */
    private record Values(Kind kind, String text, long start, long end) {

        enum Kind { ANY, EXACT, PREFIX, SUFFIX, CONTAINS, REGEX, RANGE }

        static final Values ANY = new Values(Kind.ANY, "", 0, 0);

        @SuppressWarnings("deprecation")
        static Values of(HeaderMatcher header) {
            return switch (header.getHeaderMatchSpecifierCase()) {
                case PRESENT_MATCH -> header.getPresentMatch() ? ANY : null;
                case HEADERMATCHSPECIFIER_NOT_SET -> ANY;
                // the older exact_match field with an empty value accepts any value (header_utility.cc)
                case EXACT_MATCH -> header.getExactMatch().isEmpty() ? ANY : new Values(Kind.EXACT, header.getExactMatch(), 0, 0);
                case PREFIX_MATCH -> new Values(Kind.PREFIX, header.getPrefixMatch(), 0, 0);
                case SUFFIX_MATCH -> new Values(Kind.SUFFIX, header.getSuffixMatch(), 0, 0);
                case CONTAINS_MATCH -> new Values(Kind.CONTAINS, header.getContainsMatch(), 0, 0);
                case SAFE_REGEX_MATCH -> regex(header.getSafeRegexMatch().getRegex());
                case RANGE_MATCH -> new Values(Kind.RANGE, "", header.getRangeMatch().getStart(), header.getRangeMatch().getEnd());
                case STRING_MATCH -> of(header.getStringMatch());
                default -> null;
            };
        }

        static Values of(QueryParameterMatcher query) {
            return switch (query.getQueryParameterMatchSpecifierCase()) {
                case PRESENT_MATCH -> query.getPresentMatch() ? ANY : null;
                case STRING_MATCH -> of(query.getStringMatch());
                default -> null;
            };
        }

        private static Values of(StringMatcher string) {
            if (string.getIgnoreCase()) {
                return null;
            }
            return switch (string.getMatchPatternCase()) {
                case EXACT -> new Values(Kind.EXACT, string.getExact(), 0, 0);
                case PREFIX -> new Values(Kind.PREFIX, string.getPrefix(), 0, 0);
                case SUFFIX -> new Values(Kind.SUFFIX, string.getSuffix(), 0, 0);
                case CONTAINS -> new Values(Kind.CONTAINS, string.getContains(), 0, 0);
                case SAFE_REGEX -> regex(string.getSafeRegex().getRegex());
                default -> null;
            };
        }

        private static Values regex(String regex) {
            return MATCHES_EVERYTHING.contains(regex) ? ANY : new Values(Kind.REGEX, regex, 0, 0);
        }

        /** Whether every value of this set is in {@code other}; false when not provable. */
        boolean within(Values other) {
            return switch (other.kind) {
                case ANY -> true;
                case EXACT -> kind == Kind.EXACT && text.equals(other.text);
                case PREFIX -> (kind == Kind.EXACT || kind == Kind.PREFIX) && text.startsWith(other.text);
                case SUFFIX -> (kind == Kind.EXACT || kind == Kind.SUFFIX) && text.endsWith(other.text);
                case CONTAINS -> kind != Kind.ANY && kind != Kind.REGEX && kind != Kind.RANGE && text.contains(other.text);
                case REGEX -> kind == Kind.REGEX && text.equals(other.text);
                // absl::SimpleAtoi reads an optional sign and digits; a plain decimal is read as Java reads it
                case RANGE -> kind == Kind.RANGE ? start < end && other.start <= start && end <= other.end
                        : kind == Kind.EXACT && text.matches("-?[0-9]{1,18}")
                                && other.start <= Long.parseLong(text) && Long.parseLong(text) < other.end;
            };
        }

        /** Whether no value is in both sets; false when not provable. */
        boolean disjoint(Values other) {
            if (kind == Kind.EXACT) {
                return !mayHold(text, other);
            }
            if (other.kind == Kind.EXACT) {
                return !mayHold(other.text, this);
            }
            if (kind == Kind.PREFIX && other.kind == Kind.PREFIX) {
                return !text.startsWith(other.text) && !other.text.startsWith(text);
            }
            if (kind == Kind.SUFFIX && other.kind == Kind.SUFFIX) {
                return !text.endsWith(other.text) && !other.text.endsWith(text);
            }
            return false;
        }

        /** Whether {@code set} may hold the value: true unless provably not (a regex is assumed to hold it). */
        private static boolean mayHold(String value, Values set) {
            return switch (set.kind) {
                case REGEX -> true;
                // a value absl::SimpleAtoi cannot read (sign, digits, surrounding blanks) is in no range
                case RANGE -> value.strip().matches("[-+]?[0-9]+")
                        && (!value.matches("-?[0-9]{1,18}") || new Values(Kind.EXACT, value, 0, 0).within(set));
                default -> new Values(Kind.EXACT, value, 0, 0).within(set);
            };
        }
    }
}
