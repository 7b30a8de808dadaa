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
 * Two more make every client match a request as Envoy does:
 * <ul>
 * <li>an inverted matcher on a header the call does not carry matches in grpc-js ({@code matcher.ts}:
 * {@code HeaderMatcher.apply} inverts the "absent" result) but not in Envoy ({@code header_utility.cc},
 * {@code matchHeaders}: a missing header fails every matcher but an inverted present one), grpc-java
 * ({@code RoutingUtils.matchHeader}) or C-core: each inverted matcher other than a present one gets a
 * {@code present_match} on the same name beside it, which changes nothing where the header is sent;</li>
 * <li>header names go lower-cased, as gRPC's metadata names are (PROTOCOL-HTTP2.md's Header-Name) and as Envoy,
 * grpc-java and grpc-js compare them, so no client's lookup depends on the case the route was written in;</li>
 * <li>every regex (path and header matches) goes as one non-capturing group ({@link #grouped}): grpc-js anchors
 * a regex by writing {@code ^<regex>$} around it (grpc-js-xds {@code matcher.ts}, {@code SafeRegexValueMatcher}
 * and {@code PathSafeRegexValueMatcher}), so {@code premium|gold} became {@code ^premium|gold$} and matched
 * "premium-trial", where Envoy ({@code regex.cc}, {@code RE2::FullMatch}), C-core ({@code RE2::FullMatch}) and
 * grpc-java (re2j {@code matches}) match the whole value. A group changes nothing for them, nor RE2's program
 * size.</li>
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
        java.util.List<HeaderMatcher> headers = new java.util.ArrayList<>();
        for (HeaderMatcher original : match.getHeadersList()) {
            HeaderMatcher header = header(original.toBuilder()
                    .setName(original.getName().toLowerCase(java.util.Locale.ROOT)).build());
            headers.add(header);
            if (header.getInvertMatch()
                    && header.getHeaderMatchSpecifierCase() != HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH) {
                headers.add(HeaderMatcher.newBuilder().setName(header.getName()).setPresentMatch(true).build());
            }
        }
        match.clearHeaders().addAllHeaders(headers);
        if (match.hasSafeRegex()) {
            match.getSafeRegexBuilder().setRegex(grouped(match.getSafeRegex().getRegex()));
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
        if (header.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.SAFE_REGEX_MATCH) {
            return header.toBuilder().setSafeRegexMatch(header.getSafeRegexMatch().toBuilder()
                    .setRegex(grouped(header.getSafeRegexMatch().getRegex()))).build();
        }
        if (header.getHeaderMatchSpecifierCase() != HeaderMatcher.HeaderMatchSpecifierCase.STRING_MATCH) {
            return header;
        }
        StringMatcher string = header.getStringMatch();
        if (string.getIgnoreCase()) {
            return string.hasSafeRegex() ? header.toBuilder().setStringMatch(string.toBuilder().setSafeRegex(
                    string.getSafeRegex().toBuilder().setRegex(grouped(string.getSafeRegex().getRegex())))).build() : header;
        }
        HeaderMatcher.Builder legacy = header.toBuilder().clearStringMatch();
        return switch (string.getMatchPatternCase()) {
            case EXACT -> legacy.setExactMatch(string.getExact()).build();
            case PREFIX -> legacy.setPrefixMatch(string.getPrefix()).build();
            case SUFFIX -> legacy.setSuffixMatch(string.getSuffix()).build();
            case SAFE_REGEX -> legacy.setSafeRegexMatch(string.getSafeRegex().toBuilder()
                    .setRegex(grouped(string.getSafeRegex().getRegex()))).build();
            default -> header;
        };
    }

    /**
     * The longest duration grpc-java reads: it converts route and cluster durations to nanoseconds in a long with
     * protobuf's {@code Durations.toNanos}, whose checked arithmetic throws above 2^63-1 ns (about 292 years), and
     * {@code XdsResourceType.parse} turns that into a NACK of the whole resource ({@code XdsRouteConfigureResource.
     * parseRouteAction}: max_stream_duration; {@code EnvoyServerProtoData.OutlierDetection.fromEnvoyOutlierDetection}:
     * interval, base_ejection_time, max_ejection_time). App Mesh durations reach 315,576,000,000 s.
     */
    static final com.google.protobuf.Duration GRPC_JAVA_LONGEST = com.google.protobuf.util.Durations.fromNanos(Long.MAX_VALUE);

    /**
     * The longest outlier detection interval grpc-js keeps: it arms its sweep with Node's {@code setTimeout}
     * (grpc-js {@code load-balancer-outlier-detection.ts}, {@code startTimer}), which runs a delay above 2^31-1 ms
     * (about 24.8 days) after 1 ms instead (Node's timers: "When delay is larger than 2147483647 ... the delay will be
     * set to 1"), so a longer interval became a sweep every millisecond, each restarting the counts.
     */
    static final com.google.protobuf.Duration GRPC_JS_LONGEST_INTERVAL = com.google.protobuf.util.Durations.fromMillis(Integer.MAX_VALUE);

    /** The duration, or {@code longest} when it is longer: what a gRPC client reads as the same, practically endless, time. */
    static com.google.protobuf.Duration atMost(com.google.protobuf.Duration duration, com.google.protobuf.Duration longest) {
        return com.google.protobuf.util.Durations.compare(duration, longest) > 0 ? longest : duration;
    }

    /**
     * The message with every {@code RegexMatcher} in it, at any depth, as one group ({@link #grouped}): for the RBAC
     * rules of xDS-enabled gRPC servers, whose header, path and principal matchers grpc-js anchors as routes' ones
     * (grpc-js-xds {@code rbac.ts} builds them with {@code route.ts}'s matchers). Message in, message out.
     */
    @SuppressWarnings("unchecked")
    static <T extends com.google.protobuf.Message> T regexesGrouped(T message) {
        if (message instanceof io.envoyproxy.envoy.type.matcher.v3.RegexMatcher regex) {
            return (T) regex.toBuilder().setRegex(grouped(regex.getRegex())).build();
        }
        com.google.protobuf.Message.Builder builder = message.toBuilder();
        message.getAllFields().forEach((field, value) -> {
            if (field.getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                return;
            }
            if (field.isMapField() || field.isRepeated()) {
                builder.clearField(field);
                for (Object element : (java.util.List<?>) value) {
                    builder.addRepeatedField(field, regexesGrouped((com.google.protobuf.Message) element));
                }
            } else {
                builder.setField(field, regexesGrouped((com.google.protobuf.Message) value));
            }
        });
        return (T) builder.build();
    }

    /**
     * A valid RE2 regex in, the same regex as one non-capturing group out, whose full match is the original's
     * and which keeps that meaning when grpc-js writes {@code ^...$} around it. A {@code \Q} quote left open
     * runs to the end of the pattern (RE2's {@code parse.cc}, re2j's {@code Parser}), so it is closed with
     * {@code \E} before the group's {@code )}, which it would otherwise swallow.
     */
    static String grouped(String regex) {
        return "(?:" + regex + (endsInQuote(regex) ? "\\E" : "") + ")";
    }

    /** Whether RE2 reads the end of the regex inside a {@code \Q} quote: one runs to the next {@code \E}. */
    private static boolean endsInQuote(String regex) {
        int i = 0;
        while (i < regex.length()) {
            if (regex.charAt(i) != '\\') {
                i++;
            } else if (regex.startsWith("\\Q", i)) {
                int end = regex.indexOf("\\E", i + 2);
                if (end < 0) {
                    return true;
                }
                i = end + 2;
            } else {
                i += 2;
            }
        }
        return false;
    }
}
