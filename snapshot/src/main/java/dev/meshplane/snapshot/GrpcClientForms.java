package dev.meshplane.snapshot;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * A route for proxyless gRPC clients in the forms every supported gRPC version parses, rather than one
 * output per client version: the same bytes suit every client, so clients of a node share one snapshot
 * whatever their version. Route in, route out; nothing else changes. The oldest supported client, gRPC
 * C-core 1.51 (Debian 12's python3-grpcio), sets both rules (its {@code xds_route_config.cc}):
 * <ul>
 * <li>a header matcher in {@code string_match} is refused with the whole route configuration ("Invalid route
 * header matcher specified."): exact, prefix, suffix and regex go in the older {@code exact_match},
 * {@code prefix_match}, {@code suffix_match} and {@code safe_regex_match} fields, which C-core, grpc-java
 * ({@code MatcherParser.parseHeaderMatcher}), grpc-js ({@code route.ts}) and grpc-go ({@code unmarshal_rds.go},
 * whose older releases know neither {@code string_match} nor {@code contains_match}) all parse;</li>
 * <li>weighted clusters must add up to {@code total_weight}, 100 when unset ("RouteAction weighted_cluster has
 * incorrect total weight"), while App Mesh weights need not: {@code total_weight} is set to their sum, which
 * later versions ignore.</li>
 * </ul>
 * {@link GrpcClientRules} checks the result, so a form that slips through is reported, not sent.
 */
final class GrpcClientForms {

    private GrpcClientForms() {
    }

    /** The route with its header matchers and weighted clusters in the forms above. */
    static Route apply(Route route) {
        Route.Builder builder = route.toBuilder();
        RouteMatch.Builder match = builder.getMatchBuilder();
        for (int i = 0; i < match.getHeadersCount(); i++) {
            match.setHeaders(i, header(match.getHeaders(i)));
        }
        if (builder.hasRoute() && builder.getRoute().hasWeightedClusters()) {
            RouteAction.Builder action = builder.getRouteBuilder();
            WeightedCluster.Builder weighted = action.getWeightedClustersBuilder();
            long sum = weighted.getClustersList().stream().mapToLong(c -> c.getWeight().getValue()).sum();
            weighted.setTotalWeight(UInt32Value.of((int) sum));
        }
        return builder.build();
    }

    // the deprecated oneof members are the point: they are the ones every supported gRPC version parses
    @SuppressWarnings("deprecation")
    private static HeaderMatcher header(HeaderMatcher header) {
        if (header.getHeaderMatchSpecifierCase() != HeaderMatcher.HeaderMatchSpecifierCase.STRING_MATCH
                || header.getStringMatch().getIgnoreCase()) {
            return header;
        }
        StringMatcher string = header.getStringMatch();
        HeaderMatcher.Builder legacy = header.toBuilder().clearStringMatch();
        return switch (string.getMatchPatternCase()) {
            case EXACT -> legacy.setExactMatch(string.getExact()).build();
            case PREFIX -> legacy.setPrefixMatch(string.getPrefix()).build();
            case SUFFIX -> legacy.setSuffixMatch(string.getSuffix()).build();
            case SAFE_REGEX -> legacy.setSafeRegexMatch(string.getSafeRegex()).build();
            default -> header;
        };
    }
}
