package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The load-time rules of gRPC's own xDS clients (grpc-java, grpc-js, C-core), beyond the protos' PGV
 * rules: what makes a gRPC client refuse a whole resource (NACK), and what it would silently ignore.
 * Each rule names where it is read from: gRFC A27 (xDS), A28 (routing), A44 (retries), and the resource
 * parsers {@code XdsRouteConfigureResource}/{@code XdsClusterResource}/{@code XdsEndpointResource}
 * (grpc-java), {@code route-config-resource-type.ts} (grpc-js) and {@code xds_route_config.cc} (C-core).
 * Resources in, violations out (each {@code <resource>: <what is wrong>}); empty when every gRPC client
 * accepts them as meant.
 *
 * <p>The rules are those of every supported client version at once (docs/xds.md, "Supported clients"), the
 * oldest being gRPC C-core 1.51: clients are sent one form all of them parse ({@link GrpcClientForms}), not
 * a form per version, so what passes here passes in each of them, and no snapshot depends on the version.
 */
public final class GrpcClientRules {

    /** The retry conditions gRPC clients act on (A44); every other {@code retry_on} value is skipped. */
    static final Set<String> RETRYABLE_CODES = Set.of("cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");

    private static final long UINT32_MAX = 0xFFFFFFFFL;

    private GrpcClientRules() {
    }

    /** The violations of every resource sent to a proxyless gRPC client. */
    public static List<String> validate(ProxyResources resources) {
        List<String> violations = new ArrayList<>();
        resources.routes().forEach(r -> routes(r, violations));
        resources.clusters().forEach(c -> cluster(c, violations));
        resources.endpoints().forEach(e -> endpoints("endpoints " + e.getClusterName(), e, violations));
        resources.listeners().forEach(l -> listener(l, violations));
        return violations;
    }

    private static void routes(RouteConfiguration config, List<String> violations) {
        for (VirtualHost host : config.getVirtualHostsList()) {
            String where = "route configuration " + config.getName() + ", virtual host " + host.getName();
            for (String domain : host.getDomainsList()) {
                // A28, grpc-js validateResource: at most one '*', and only first or last
                int star = domain.indexOf('*');
                if (star != domain.lastIndexOf('*') || (star > 0 && star < domain.length() - 1)) {
                    violations.add(where + ": domain '" + domain + "' has a '*' gRPC does not accept"
                            + " (one at most, first or last)");
                }
            }
            if (host.getRoutesCount() == 0) {
                // C-core 1.51 xds_route_config.cc refuses the whole route configuration: "No route found in the virtual host."
                violations.add(where + ": has no route, which older gRPC clients (C-core 1.51) refuse with the whole route"
                        + " configuration");
            }
            for (Route route : host.getRoutesList()) {
                route(where + ", route " + route.getName(), route, violations);
            }
        }
    }

    private static void route(String where, Route route, List<String> violations) {
        for (HeaderMatcher header : route.getMatch().getHeadersList()) {
            headerForm(where, header, violations);
            String regex = headerRegex(header);
            if (regex != null) {
                anchoredAlike(where + ", header matcher '" + header.getName() + "'", regex, violations);
            }
        }
        if (route.getMatch().hasSafeRegex()) {
            anchoredAlike(where + ", path", route.getMatch().getSafeRegex().getRegex(), violations);
        }
        if (route.getMatch().getQueryParametersCount() > 0) {
            // grpc-java parseRouteMatch: a route matching query parameters is skipped, so calls fall to the next
            violations.add(where + ": matches query parameters, which gRPC clients skip (the route would be dropped)");
        }
        if (route.getActionCase() != Route.ActionCase.ROUTE) {
            // grpc-java parseRoute and grpc-js validateResource refuse the whole route configuration (a route with
            // no target to send to goes to UnavailableCluster for gRPC clients, never to a direct_response)
            violations.add(where + ": has action " + route.getActionCase() + "; gRPC clients accept only a route to"
                    + " clusters and refuse the whole route configuration");
            return;
        }
        RouteAction action = route.getRoute();
        switch (action.getClusterSpecifierCase()) {
            case CLUSTER -> {
            }
            case WEIGHTED_CLUSTERS -> weights(where, action.getWeightedClusters(), violations);
            // grpc-java parseRouteAction ignores cluster_header and unknown specifiers: the route would be dropped
            default -> violations.add(where + ": routes by " + action.getClusterSpecifierCase()
                    + ", which gRPC clients skip");
        }
        if (action.hasRetryPolicy()) {
            retry(where, action.getRetryPolicy(), violations);
        }
        if (action.hasMaxStreamDuration()) {
            RouteAction.MaxStreamDuration limits = action.getMaxStreamDuration();
            readable(where + ", max_stream_duration", limits.getMaxStreamDuration(), violations);
            readable(where + ", grpc_timeout_header_max", limits.getGrpcTimeoutHeaderMax(), violations);
        }
    }

    /**
     * C-core 1.51 xds_route_config.cc refuses the whole route configuration for a header matcher it does not know
     * ("Invalid route header matcher specified."): it predates {@code string_match}, and grpc-go's older
     * unmarshal_rds.go ("has an unrecognized header matcher") knows neither it nor {@code contains_match}.
     */
    private static void headerForm(String where, HeaderMatcher header, List<String> violations) {
        switch (header.getHeaderMatchSpecifierCase()) {
            case STRING_MATCH, CONTAINS_MATCH -> violations.add(where + ": header matcher '" + header.getName() + "' in "
                    + header.getHeaderMatchSpecifierCase() + ", which older gRPC clients (C-core 1.51) refuse with the"
                    + " whole route configuration");
            default -> {
            }
        }
    }

    @SuppressWarnings("deprecation")
    private static String headerRegex(HeaderMatcher header) {
        if (header.hasSafeRegexMatch()) {
            return header.getSafeRegexMatch().getRegex();
        }
        return header.hasStringMatch() && header.getStringMatch().hasSafeRegex()
                ? header.getStringMatch().getSafeRegex().getRegex() : null;
    }

    /**
     * grpc-js matches a regex as {@code ^<regex>$} (grpc-js-xds matcher.ts, SafeRegexValueMatcher and
     * PathSafeRegexValueMatcher), the others as a full match (Envoy and C-core RE2::FullMatch, grpc-java re2j
     * matches()): alike only when the regex is one group spanning the whole pattern, as {@link GrpcClientForms}
     * sends it. An alternation otherwise binds to the anchors ({@code ^a|b$}) and matches other values, silently.
     * The group spans the whole exactly when the pattern and what it encloses are both valid RE2 (re2j, the
     * engine grpc-java runs).
     */
    private static void anchoredAlike(String where, String regex, List<String> violations) {
        boolean grouped = regex.startsWith("(?:") && regex.endsWith(")") && compiles(regex)
                && compiles(regex.substring(3, regex.length() - 1));
        if (!grouped) {
            violations.add(where + ": regex '" + regex + "' is not one group spanning the pattern, so grpc-js, which"
                    + " anchors it as ^...$, matches other values than Envoy, grpc-java and C-core");
        }
    }

    /** Every RegexMatcher's regex in the message, at any depth. */
    private static void regexes(com.google.protobuf.Message message, java.util.function.Consumer<String> each) {
        if (message instanceof io.envoyproxy.envoy.type.matcher.v3.RegexMatcher regex) {
            each.accept(regex.getRegex());
            return;
        }
        message.getAllFields().forEach((field, value) -> {
            if (field.getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                return;
            }
            if (field.isRepeated()) {
                ((List<?>) value).forEach(element -> regexes((com.google.protobuf.Message) element, each));
            } else {
                regexes((com.google.protobuf.Message) value, each);
            }
        });
    }

    private static boolean compiles(String regex) {
        try {
            com.google.re2j.Pattern.compile(regex);
            return true;
        } catch (com.google.re2j.PatternSyntaxException e) {
            return false;
        }
    }

    /**
     * grpc-java parseRouteAction, grpc-js validateResource: at least one cluster, total weight in (0, 2^32); and
     * C-core 1.51 xds_route_config.cc: the weights above 0 add up to total_weight, 100 when it is unset
     * ("RouteAction weighted_cluster has incorrect total weight").
     */
    private static void weights(String where, WeightedCluster weighted, List<String> violations) {
        long sum = weighted.getClustersList().stream().mapToLong(c -> c.getWeight().getValue() & UINT32_MAX).sum();
        if (weighted.getClustersCount() == 0 || sum <= 0 || sum > UINT32_MAX) {
            violations.add(where + ": weighted clusters weigh " + sum + " in all; gRPC needs 1 to " + UINT32_MAX);
            return;
        }
        long total = weighted.hasTotalWeight() ? weighted.getTotalWeight().getValue() & UINT32_MAX : 100;
        if (sum != total) {
            violations.add(where + ": weighted clusters weigh " + sum + " in all but total_weight is " + total
                    + (weighted.hasTotalWeight() ? "" : " (unset)") + ", which older gRPC clients (C-core 1.51) refuse");
        }
    }

    /**
     * C-core xds_route_config.cc ("num_retries set to invalid value 0"), grpc-java parseRetryPolicy and
     * grpc-js validateRetryPolicy: num_retries at least 1, a back-off with a positive base_interval and
     * a max_interval not below it; and (A44) at least one condition gRPC acts on, or the policy is ignored.
     */
    private static void retry(String where, RetryPolicy retry, List<String> violations) {
        if (retry.hasNumRetries() && retry.getNumRetries().getValue() == 0) {
            violations.add(where + ": retry policy with num_retries 0, which gRPC clients refuse");
        }
        if (retry.hasRetryBackOff()) {
            var backOff = retry.getRetryBackOff();
            if (!backOff.hasBaseInterval() || Durations.compare(backOff.getBaseInterval(), Durations.ZERO) <= 0) {
                violations.add(where + ": retry back-off needs a base_interval above 0 for gRPC clients");
            } else if (backOff.hasMaxInterval() && Durations.compare(backOff.getMaxInterval(), backOff.getBaseInterval()) < 0) {
                violations.add(where + ": retry back-off max_interval is below base_interval, which gRPC clients refuse");
            }
        }
        boolean any = Arrays.stream(retry.getRetryOn().split(",")).map(String::trim).anyMatch(RETRYABLE_CODES::contains);
        if (!any) {
            violations.add(where + ": retry policy retries on '" + retry.getRetryOn() + "', none of which gRPC clients"
                    + " act on " + RETRYABLE_CODES.stream().sorted().toList());
        }
    }

    /**
     * grpc-java reads route and outlier detection durations in nanoseconds with protobuf's checked
     * {@code Durations.toNanos} and NACKs the resource when one overflows (XdsRouteConfigureResource
     * parseRouteAction; EnvoyServerProtoData.OutlierDetection): see {@link GrpcClientForms#GRPC_JAVA_LONGEST}.
     */
    private static void readable(String where, com.google.protobuf.Duration duration, List<String> violations) {
        if (Durations.compare(duration, GrpcClientForms.GRPC_JAVA_LONGEST) > 0) {
            violations.add(where + " " + Durations.toString(duration) + " is longer than grpc-java reads ("
                    + Durations.toString(GrpcClientForms.GRPC_JAVA_LONGEST) + "), so it refuses the resource");
        }
    }

    /**
     * grpc-js arms its outlier detection sweep with setTimeout, which runs a delay above 2^31-1 ms after 1 ms
     * (load-balancer-outlier-detection.ts, startTimer): see {@link GrpcClientForms#GRPC_JS_LONGEST_INTERVAL}.
     */
    private static void outlierDetection(String where, io.envoyproxy.envoy.config.cluster.v3.OutlierDetection detection,
            List<String> violations) {
        if (Durations.compare(detection.getInterval(), GrpcClientForms.GRPC_JS_LONGEST_INTERVAL) > 0) {
            violations.add(where + ": outlier detection interval " + Durations.toString(detection.getInterval())
                    + " is longer than grpc-js can time (" + Durations.toString(GrpcClientForms.GRPC_JS_LONGEST_INTERVAL)
                    + "), so it would sweep every millisecond");
        }
        readable(where + ": outlier detection base_ejection_time", detection.getBaseEjectionTime(), violations);
        readable(where + ": outlier detection max_ejection_time", detection.getMaxEjectionTime(), violations);
    }

    /**
     * grpc-java XdsClusterResource and C-core xds_cluster.cc accept EDS, LOGICAL_DNS (A37) and aggregate
     * clusters; STRICT_DNS and the rest are refused. A cluster's {@code lrs_server} may only be {@code self}.
     */
    private static void cluster(Cluster cluster, List<String> violations) {
        String where = "cluster " + cluster.getName();
        if (cluster.hasOutlierDetection()) {
            outlierDetection(where, cluster.getOutlierDetection(), violations);
        }
        if (cluster.hasLrsServer() && !cluster.getLrsServer().hasSelf()) {
            // grpc-java XdsClusterResource: "only support LRS for the same management server"
            violations.add(where + ": lrs_server is not 'self', which gRPC clients refuse");
        }
        switch (cluster.getType()) {
            case EDS -> {
            }
            case LOGICAL_DNS -> {
                // A37 (C-core xds_cluster.cc): exactly one locality holding exactly one endpoint
                ClusterLoadAssignment inline = cluster.getLoadAssignment();
                if (inline.getEndpointsCount() != 1 || inline.getEndpoints(0).getLbEndpointsCount() != 1) {
                    violations.add(where + ": a LOGICAL_DNS cluster needs one locality with one endpoint for gRPC clients");
                }
            }
            default -> violations.add(where + ": discovery type " + cluster.getType()
                    + " is refused by gRPC clients (EDS or LOGICAL_DNS only)");
        }
    }

    /**
     * A27 and grpc-java XdsEndpointResource: a locality without a load_balancing_weight is skipped (so
     * are its endpoints), and an endpoint's address must be an IP literal with a port; grpc-js refuses an
     * assignment naming one address and port twice.
     */
    private static void endpoints(String where, ClusterLoadAssignment assignment, List<String> violations) {
        Set<String> seen = new java.util.HashSet<>();
        for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
            if (locality.getLoadBalancingWeight().getValue() == 0) {
                violations.add(where + ": a locality without load_balancing_weight, which gRPC clients skip");
            }
            for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
                String address = endpoint.getEndpoint().getAddress().getSocketAddress().getAddress();
                int port = endpoint.getEndpoint().getAddress().getSocketAddress().getPortValue();
                if (!seen.add(address + " " + port)) {
                    // grpc-js endpoint-resource-type.ts: "address is a duplicate of another address in the same endpoint"
                    violations.add(where + ": endpoint " + address + ":" + port + " appears twice, which grpc-js refuses");
                }
                if (!com.google.common.net.InetAddresses.isInetAddress(address)) {
                    violations.add(where + ": endpoint address '" + address + "' is not an IP literal, which gRPC requires");
                }
            }
        }
    }

    /** A39 (grpc-java XdsListenerResource): the last HTTP filter must be the router, a terminal filter. */
    private static void listener(Listener listener, List<String> violations) {
        List<Any> managers = new ArrayList<>();
        if (listener.hasApiListener()) {
            managers.add(listener.getApiListener().getApiListener());
        }
        listener.getFilterChainsList().forEach(chain -> chain.getFiltersList().forEach(f -> managers.add(f.getTypedConfig())));
        for (Any packed : managers) {
            if (!packed.is(HttpConnectionManager.class)) {
                continue;
            }
            try {
                HttpConnectionManager manager = packed.unpack(HttpConnectionManager.class);
                int count = manager.getHttpFiltersCount();
                if (count == 0 || !manager.getHttpFilters(count - 1).getName().equals(HttpFilters.ROUTER)) {
                    violations.add("listener " + listener.getName() + ": the router must be the last HTTP filter for gRPC");
                }
                for (var filter : manager.getHttpFiltersList()) {
                    if (filter.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
                        regexes(filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class),
                                regex -> anchoredAlike("listener " + listener.getName() + ", RBAC filter " + filter.getName(),
                                        regex, violations));
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                violations.add("listener " + listener.getName() + ": its HTTP connection manager does not decode");
            }
        }
    }
}
