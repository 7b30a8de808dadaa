package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Int64Range;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The shadowing rule is sound: whenever {@link RouteShadowing#covers} says an earlier route covers a later one, every
 * request of a small but complete request space that the later route matches is matched by the earlier one, as
 * Envoy matches (a plain re-statement of {@code header_utility.cc}'s {@code matchHeaders}, {@code config_utility.cc}'s
 * query parameter match and the path match of {@code config_impl.cc}, evaluated request by request). Matches and
 * requests are drawn from small alphabets so that covering pairs are frequent. The seed is fixed so CI sees the same
 * pairs each run; 20,000 pairs, each against every request, take about a second.
 */
class RouteShadowingPropertyTest {

    private static final List<String> PATHS = List.of("/", "/a", "/ab", "/a/b", "/b", "/a/");
    private static final List<String> HEADER_NAMES = List.of("x-h", "y");
    private static final List<String> VALUES = List.of("a", "ab", "b", "42", "-5", "x", "");

    /** A request: its path, its headers (lower-case names; absent when not in the map) and its query parameter q. */
    private record Request(String path, Map<String, String> headers, String q) {
    }

    private static final List<Request> REQUESTS = requests();

    private static List<Request> requests() {
        List<String> states = new ArrayList<>(VALUES);
        states.add(null);
        List<Request> requests = new ArrayList<>();
        for (String path : PATHS) {
            for (String h : states) {
                for (String y : states) {
                    for (String q : List.of("1", "2")) {
                        Map<String, String> headers = new HashMap<>();
                        if (h != null) {
                            headers.put("x-h", h);
                        }
                        if (y != null) {
                            headers.put("y", y);
                        }
                        requests.add(new Request(path, headers, q));
                    }
                    requests.add(new Request(path, h == null ? Map.of() : Map.of("x-h", h), null));
                }
            }
        }
        return requests;
    }

    @Property(seed = "20261130", tries = 20000)
    void aCoveringRouteMatchesEveryRequestTheCoveredOneMatches(@ForAll("matches") RouteMatch earlier,
            @ForAll("matches") RouteMatch later) {
        boolean covers = RouteShadowing.covers(earlier, later);
        Statistics.collect(covers ? "covers" : "does not cover");
        if (!covers) {
            return;
        }
        for (Request request : REQUESTS) {
            if (matches(later, request)) {
                assertThat(matches(earlier, request)).as("%s covers %s, yet misses %s", earlier, later, request).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<RouteMatch> matches() {
        Arbitrary<RouteMatch.Builder> path = Arbitraries.oneOf(
                Arbitraries.of("", "/", "/a", "/ab", "/a/").map(p -> RouteMatch.newBuilder().setPrefix(p)),
                Arbitraries.of("/a", "/ab", "/a/b").map(p -> RouteMatch.newBuilder().setPath(p)),
                Arbitraries.of(".*", "^.*$", "/a.*", "/ab").map(r -> RouteMatch.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex(r))));
        return Combinators.combine(path, header().list().ofMaxSize(2), query().list().ofMaxSize(1))
                .as((builder, headers, queries) -> builder.addAllHeaders(headers).addAllQueryParameters(queries).build());
    }

    @SuppressWarnings("deprecation")
    private static Arbitrary<HeaderMatcher> header() {
        Arbitrary<String> value = Arbitraries.of("a", "ab", "b", "42");
        Arbitrary<HeaderMatcher.Builder> kind = Arbitraries.oneOf(
                Arbitraries.create(() -> HeaderMatcher.newBuilder().setPresentMatch(true)),
                Arbitraries.create(HeaderMatcher::newBuilder),
                value.map(v -> HeaderMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder().setExact(v))),
                value.map(v -> HeaderMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder().setPrefix(v))),
                value.map(v -> HeaderMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder().setSuffix(v))),
                value.map(v -> HeaderMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder().setContains(v))),
                Arbitraries.of("a.*", ".*").map(r -> HeaderMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex(r)))),
                Arbitraries.of("", "a", "42").map(v -> HeaderMatcher.newBuilder().setExactMatch(v)),
                value.map(v -> HeaderMatcher.newBuilder().setPrefixMatch(v)),
                Arbitraries.of(-10L, 0L, 40L, 43L).map(s -> HeaderMatcher.newBuilder()
                        .setRangeMatch(Int64Range.newBuilder().setStart(s).setEnd(s + 10))));
        return Combinators.combine(kind, Arbitraries.of("x-h", "X-H", "y"), Arbitraries.of(true, false))
                .as((builder, name, invert) -> builder.setName(name).setInvertMatch(invert).build());
    }

    private static Arbitrary<QueryParameterMatcher> query() {
        return Arbitraries.oneOf(
                Arbitraries.just(QueryParameterMatcher.newBuilder().setName("q").setPresentMatch(true).build()),
                Arbitraries.of("1", "2").map(v -> QueryParameterMatcher.newBuilder().setName("q")
                        .setStringMatch(StringMatcher.newBuilder().setExact(v)).build()));
    }

    /** Envoy's route match, request by request. */
    private static boolean matches(RouteMatch match, Request request) {
        boolean path = switch (match.getPathSpecifierCase()) {
            case PREFIX -> request.path().startsWith(match.getPrefix());
            case PATH -> request.path().equals(match.getPath());
            case SAFE_REGEX -> Pattern.matches(match.getSafeRegex().getRegex(), request.path());
            default -> throw new IllegalArgumentException(match.toString());
        };
        return path && match.getHeadersList().stream().allMatch(h -> matches(h, request.headers()))
                && match.getQueryParametersList().stream().allMatch(q -> request.q() != null
                        && (q.hasPresentMatch() || q.getStringMatch().getExact().equals(request.q())));
    }

    /** header_utility.cc's matchHeaders: absent satisfies only an inverted present match; else the test, inverted. */
    @SuppressWarnings("deprecation")
    private static boolean matches(HeaderMatcher header, Map<String, String> headers) {
        String value = headers.get(header.getName().toLowerCase(Locale.ROOT));
        boolean present = header.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
                || header.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET;
        if (value == null) {
            return header.getInvertMatch() && present;
        }
        boolean test = switch (header.getHeaderMatchSpecifierCase()) {
            case PRESENT_MATCH, HEADERMATCHSPECIFIER_NOT_SET -> true;
            case EXACT_MATCH -> header.getExactMatch().isEmpty() || value.equals(header.getExactMatch());
            case PREFIX_MATCH -> value.startsWith(header.getPrefixMatch());
            case RANGE_MATCH -> value.matches("-?[0-9]+") && Long.parseLong(value) >= header.getRangeMatch().getStart()
                    && Long.parseLong(value) < header.getRangeMatch().getEnd();
            case STRING_MATCH -> {
                StringMatcher string = header.getStringMatch();
                yield switch (string.getMatchPatternCase()) {
                    case EXACT -> value.equals(string.getExact());
                    case PREFIX -> value.startsWith(string.getPrefix());
                    case SUFFIX -> value.endsWith(string.getSuffix());
                    case CONTAINS -> value.contains(string.getContains());
                    case SAFE_REGEX -> Pattern.matches(string.getSafeRegex().getRegex(), value);
                    default -> throw new IllegalArgumentException(string.toString());
                };
            }
            default -> throw new IllegalArgumentException(header.toString());
        };
        return test != header.getInvertMatch();
    }
}
