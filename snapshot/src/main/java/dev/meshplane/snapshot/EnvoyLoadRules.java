package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.XRayConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import dev.meshplane.api.validation.EnvoyFormatGrammar;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.meshplane.api.validation.AccessLogPaths;
import dev.meshplane.api.validation.IpLiterals;
import dev.meshplane.api.validation.PathMatchRules;
import dev.meshplane.api.validation.RegexRules;
import dev.meshplane.api.validation.Re2ProgramSize;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks Envoy applies when it loads a resource, beyond its protos' PGV rules: each rule is read from
 * Envoy's C++ (cited per rule) and refuses the whole resource there. A resource in, violations added to
 * a list (each {@code <field path>: <what is wrong>}).
 */
final class EnvoyLoadRules {

    private EnvoyLoadRules() {
    }

    static void check(Message resource, List<String> violations) {
        if (resource instanceof Cluster cluster) {
            cluster(cluster, violations);
        } else if (resource instanceof Listener listener) {
            listener(listener, violations);
            accessLogFormats(listener, violations);
        } else if (resource instanceof RouteConfiguration routes) {
            domains(routes, violations);
            rewrites(routes, violations);
        }
        if (resource instanceof ClusterLoadAssignment assignment) {
            addresses(assignment, "ClusterLoadAssignment", violations);
        } else if (resource instanceof Cluster cluster && cluster.getType() == Cluster.DiscoveryType.STATIC) {
            addresses(cluster.getLoadAssignment(), "Cluster.load_assignment", violations);
        }
        matchers(resource, resource.getDescriptorForType().getName(), violations);
    }

    /**
     * EDS and STATIC endpoints are IP literals: Envoy parses each with parseInternetAddress (network/utility.cc,
     * "malformed IP address") and refuses the whole assignment; gRPC clients need IP literals too.
     */
    private static void addresses(ClusterLoadAssignment assignment, String path, List<String> violations) {
        for (int l = 0; l < assignment.getEndpointsCount(); l++) {
            for (int e = 0; e < assignment.getEndpoints(l).getLbEndpointsCount(); e++) {
                var endpoint = assignment.getEndpoints(l).getLbEndpoints(e).getEndpoint();
                if (!endpoint.getAddress().hasSocketAddress()) {
                    continue;
                }
                String problem = IpLiterals.address(endpoint.getAddress().getSocketAddress().getAddress());
                if (problem != null) {
                    violations.add(path + ".endpoints[" + l + "].lb_endpoints[" + e + "].endpoint.address.socket_address"
                            + ".address: " + problem + "; Envoy refuses it as a malformed IP address");
                }
            }
        }
    }

    /**
     * network/cidr_range.cc: a CidrRange (RBAC sources and destinations) is parsed with the same address parser
     * and Envoy refuses the listener for a malformed one; a prefix length over the family's is cut silently.
     */
    private static void cidr(CidrRange range, String path, List<String> violations) {
        String block = range.getAddressPrefix() + (range.hasPrefixLen() ? "/" + range.getPrefixLen().getValue() : "");
        String problem = IpLiterals.cidr(block);
        if (problem != null) {
            violations.add(path + ": " + problem);
        }
    }

    private static final Map<Descriptor, Boolean> MAY_HOLD_MATCHER = new ConcurrentHashMap<>();
    private static final Map<String, String> REGEX_PROBLEMS = new ConcurrentHashMap<>();

    /**
     * source/common/common/regex.cc: every RegexMatcher (route and header matches, RBAC, regex rewrites,
     * anywhere in the resource, inside typed configs too) is compiled with RE2 when the resource loads, and
     * one over re2.max_program_size.error_level ("RE2 program size of {} > max program size of {} set for the
     * error level threshold") or one RE2 refuses fails the whole resource. Regexes whose size needs RE2's
     * Unicode tables are refused by the API and not measured here. Route matches and RBAC path matchers met on the way
     * are checked for paths that match nothing ({@link #pathMatch}).
     */
    private static void matchers(Message message, String path, List<String> violations) {
        if (message instanceof CidrRange range) {
            cidr(range, path, violations);
            return;
        }
        if (message instanceof RouteMatch match) {
            pathMatch(match.getPrefix(), path + ".prefix", violations);
            pathMatch(match.getPath(), path + ".path", violations);
        } else if (message instanceof PathMatcher matcher) {
            pathMatch(matcher.getPath().getExact(), path + ".path.exact", violations);
            pathMatch(matcher.getPath().getPrefix(), path + ".path.prefix", violations);
        }
        if (message instanceof RegexMatcher matcher) {
            String problem = REGEX_PROBLEMS.computeIfAbsent(matcher.getRegex(), EnvoyLoadRules::regexProblem);
            if (!problem.isEmpty()) {
                violations.add(path + ".regex: '" + matcher.getRegex() + "': " + problem);
            }
            return;
        }
        if (message instanceof Any any) {
            Message prototype = EnvoyTypes.BY_TYPE_URL.get(any.getTypeUrl());
            if (prototype != null) {
                try {
                    matchers(prototype.getParserForType().parseFrom(any.getValue()), path, violations);
                } catch (InvalidProtocolBufferException e) {
                    // EnvoyValidator reports an Any that does not decode
                }
            }
            return;
        }
        // descriptor order, not getAllFields(), which builds a sorted map per message on every push
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || !mayHoldMatcher(field.getMessageType())) {
                continue;
            }
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                for (int i = 0; i < count; i++) {
                    matchers((Message) message.getRepeatedField(field, i), path + "." + field.getName() + "[" + i + "]",
                            violations);
                }
            } else if (message.hasField(field)) {
                matchers((Message) message.getField(field), path + "." + field.getName(), violations);
            }
        }
    }

    /**
     * common/matchers.cc (PathMatcher::match): route prefix and path matches and RBAC's url_path are compared with the
     * request path after removeQueryAndFragment, so one holding '?' or '#' is loaded and silently matches nothing.
     */
    private static void pathMatch(String value, String path, List<String> violations) {
        String problem = PathMatchRules.problem(value);
        if (problem != null) {
            violations.add(path + ": " + problem);
        }
    }

    private static String regexProblem(String regex) {
        try {
            int size = Re2ProgramSize.of(regex);
            return size > RegexRules.MAX_PROGRAM_SIZE ? "RE2 program size " + size + " is over Envoy's limit of "
                    + RegexRules.MAX_PROGRAM_SIZE + " (re2.max_program_size.error_level)" : "";
        } catch (Re2ProgramSize.SyntaxError e) {
            return "RE2 refuses it: " + e.getMessage();
        } catch (Re2ProgramSize.Unmeasurable e) {
            return "";
        }
    }

    /** Whether a message of this type can contain a RegexMatcher, CidrRange, RouteMatch or PathMatcher, directly or through an Any. */
    private static boolean mayHoldMatcher(Descriptor type) {
        Boolean known = MAY_HOLD_MATCHER.get(type);
        if (known != null) {
            return known;
        }
        boolean result = mayHoldMatcher(type, new java.util.HashSet<>());
        MAY_HOLD_MATCHER.put(type, result);
        return result;
    }

    private static boolean mayHoldMatcher(Descriptor type, java.util.Set<Descriptor> visiting) {
        if (type.equals(RegexMatcher.getDescriptor()) || type.equals(CidrRange.getDescriptor())
                || type.equals(Any.getDescriptor()) || type.equals(RouteMatch.getDescriptor())
                || type.equals(PathMatcher.getDescriptor())) {
            return true;
        }
        if (!visiting.add(type)) {
            return false;
        }
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && mayHoldMatcher(field.getMessageType(), visiting)) {
                return true;
            }
        }
        return false;
    }

    /**
     * router/config_impl.cc (RouteMatcher): every domain is lower-cased, then "Only a single wildcard domain is
     * permitted in route X" and "Only unique values for domains are permitted. Duplicate entry of domain X in route Y"
     * (a leading or trailing '*' is a wildcard keyed by the rest) refuse the whole route configuration. A '*' anywhere
     * else is compared as a literal and matches no Host, which would drop the traffic silently, so it is reported too.
     */
    private static void domains(RouteConfiguration routes, List<String> violations) {
        Map<String, String> seen = new HashMap<>();
        for (int h = 0; h < routes.getVirtualHostsCount(); h++) {
            VirtualHost host = routes.getVirtualHosts(h);
            for (int d = 0; d < host.getDomainsCount(); d++) {
                String domain = host.getDomains(d).toLowerCase(java.util.Locale.ROOT);
                String where = "RouteConfiguration.virtual_hosts[" + h + "].domains[" + d + "]";
                String inner = domain.length() > 1 ? domain.substring(1, domain.length() - 1) : "";
                if (inner.contains("*") || domain.startsWith("**") || domain.endsWith("**")) {
                    violations.add(where + ": '" + host.getDomains(d) + "' has a '*' that is not a whole leading or"
                            + " trailing wildcard; Envoy would compare it literally and no Host would match it");
                    continue;
                }
                String key = domain.equals("*") ? "*" : domain.startsWith("*") ? "suffix " + domain.substring(1)
                        : domain.endsWith("*") ? "prefix " + domain.substring(0, domain.length() - 1) : "exact " + domain;
                String first = seen.putIfAbsent(key, host.getName() + " (virtual_hosts[" + h + "])");
                if (first != null) {
                    violations.add(where + ": '" + host.getDomains(d) + "' is already a domain of virtual host " + first
                            + "; Envoy lower-cases domains and refuses a route configuration naming one twice");
                }
            }
        }
    }

    /**
     * common/regex.h: Envoy applies regex_rewrite with RE2::GlobalReplace, whose substitution (re2.cc, Rewrite) reads
     * '\N' as capture group N and '\\' as one backslash. A group the pattern does not have makes RE2 replace nothing
     * ("invalid substitution"), any other backslash is "invalid rewrite pattern": Envoy loads the route and then
     * leaves the path unrewritten or cut short, silently.
     */
    private static void rewrites(RouteConfiguration routes, List<String> violations) {
        for (int h = 0; h < routes.getVirtualHostsCount(); h++) {
            for (int r = 0; r < routes.getVirtualHosts(h).getRoutesCount(); r++) {
                Route route = routes.getVirtualHosts(h).getRoutes(r);
                if (!route.hasRoute() || !route.getRoute().hasRegexRewrite()) {
                    continue;
                }
                RegexMatchAndSubstitute rewrite = route.getRoute().getRegexRewrite();
                int groups;
                try {
                    groups = com.google.re2j.Pattern.compile(rewrite.getPattern().getRegex()).groupCount();
                } catch (com.google.re2j.PatternSyntaxException e) {
                    continue; // matchers() reports the pattern itself
                }
                String problem = substitutionProblem(rewrite.getSubstitution(), groups);
                if (problem != null) {
                    violations.add("RouteConfiguration.virtual_hosts[" + h + "].routes[" + r
                            + "].route.regex_rewrite.substitution: '" + rewrite.getSubstitution() + "' " + problem);
                }
            }
        }
    }

    private static String substitutionProblem(String substitution, int groups) {
        for (int i = 0; i < substitution.length(); i++) {
            if (substitution.charAt(i) != '\\') {
                continue;
            }
            char next = i + 1 < substitution.length() ? substitution.charAt(i + 1) : 0;
            if (next >= '0' && next <= '9') {
                if (next - '0' > groups) {
                    return "names capture group \\" + next + " of a pattern with " + groups
                            + " capture groups, so RE2 rewrites nothing";
                }
            } else if (next != '\\') {
                return "has a backslash RE2 reads as an invalid rewrite pattern (write '\\\\' for a backslash)";
            }
            i++;
        }
        return null;
    }

    /**
     * formatter/substitution_formatter.cc: a listener whose access log format has a command Envoy cannot parse is
     * refused as a whole, and so is one whose log file cannot be opened ({@link #logPath}); the same grammar the API checks ({@link EnvoyFormatGrammar}), applied to what is emitted.
     * The connection manager's tracer is checked on the way ({@link #tracer}), so a listener is unpacked once.
     */
    private static void accessLogFormats(Listener listener, List<String> violations) {
        for (int c = 0; c < listener.getFilterChainsCount(); c++) {
            for (var filter : listener.getFilterChains(c).getFiltersList()) {
                String where = "Listener.filter_chains[" + c + "]." + filter.getName() + ".access_log";
                try {
                    List<AccessLog> logs = List.of();
                    if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                        HttpConnectionManager manager = filter.getTypedConfig().unpack(HttpConnectionManager.class);
                        logs = manager.getAccessLogList();
                        if (manager.hasTracing()) {
                            tracer(manager.getTracing().getProvider(), "Listener.filter_chains[" + c + "]." + filter.getName()
                                    + ".tracing.provider.typed_config", violations);
                        }
                    } else if (filter.getTypedConfig().is(TcpProxy.class)) {
                        logs = filter.getTypedConfig().unpack(TcpProxy.class).getAccessLogList();
                    }
                    for (AccessLog log : logs) {
                        if (log.getTypedConfig().is(FileAccessLog.class)) {
                            FileAccessLog file = log.getTypedConfig().unpack(FileAccessLog.class);
                            logPath(file.getPath(), where, violations);
                            format(file.getLogFormat(), where, violations);
                        } else if (log.getTypedConfig().is(StdoutAccessLog.class)) {
                            format(log.getTypedConfig().unpack(StdoutAccessLog.class).getLogFormat(), where, violations);
                        }
                    }
                } catch (InvalidProtocolBufferException e) {
                    violations.add(where + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * What Envoy's tracer factories refuse when the connection manager is loaded, beyond PGV: the X-Ray daemon endpoint
     * must be UDP with a numeric port (tracers/xray/config.cc: "X-Ray daemon endpoint must be a UDP socket address",
     * "X-Ray daemon port must be specified as number. Not a named port.") and an IPv4 literal, since the driver parses
     * "<address>:<port>" with parseInternetAddressAndPort (daemon_broker.cc; network/utility.cc throws "malformed IP
     * address" for anything else); Zipkin's collector version must be HTTP_JSON or HTTP_PROTO (0 is the removed v1 API,
     * disallowed by default; GRPC is not implemented).
     */
    private static void tracer(io.envoyproxy.envoy.config.trace.v3.Tracing.Http provider, String where,
            List<String> violations) throws InvalidProtocolBufferException {
        Any config = provider.getTypedConfig();
        if (config.is(XRayConfig.class)) {
            var daemon = config.unpack(XRayConfig.class).getDaemonEndpoint();
            if (daemon.getProtocol() != io.envoyproxy.envoy.config.core.v3.SocketAddress.Protocol.UDP) {
                violations.add(where + ".daemon_endpoint.protocol: X-Ray daemon endpoint must be a UDP socket address");
            }
            if (!daemon.hasPortValue()) {
                violations.add(where + ".daemon_endpoint.port_value: X-Ray daemon port must be specified as number");
            }
            String problem = IpLiterals.ipv4(daemon.getAddress());
            if (problem != null) {
                violations.add(where + ".daemon_endpoint.address: " + problem + "; Envoy's X-Ray tracer reads"
                        + " '<address>:<port>' as IPv4 and refuses it as a malformed IP address");
            }
        } else if (config.is(ZipkinConfig.class)) {
            var version = config.unpack(ZipkinConfig.class).getCollectorEndpointVersion();
            if (version != ZipkinConfig.CollectorEndpointVersion.HTTP_JSON
                    && version != ZipkinConfig.CollectorEndpointVersion.HTTP_PROTO) {
                violations.add(where + ".collector_endpoint_version: " + version + " is not a version Envoy sends"
                        + " (HTTP_JSON or HTTP_PROTO)");
            }
        }
    }

    /**
     * The clusters one proxy's tracers send to are among its clusters. Zipkin's driver refuses the connection manager
     * otherwise (zipkin_tracer_impl.cc calls Config::Utility::checkCluster: "unknown cluster"); OpenTelemetry's skips
     * the check (factoryForGrpcService(..., skip_cluster_check true)) and would drop every span silently, so both are
     * held to it. A check across resources, so it takes all of a proxy's listeners and cluster names.
     */
    static void tracerClusters(List<Listener> listeners, java.util.Set<String> clusters, List<String> violations) {
        for (Listener listener : listeners) {
            for (int c = 0; c < listener.getFilterChainsCount(); c++) {
                for (var filter : listener.getFilterChains(c).getFiltersList()) {
                    if (!filter.getTypedConfig().is(HttpConnectionManager.class)) {
                        continue;
                    }
                    String where = "listener " + listener.getName() + ": Listener.filter_chains[" + c + "]."
                            + filter.getName() + ".tracing.provider.typed_config";
                    try {
                        HttpConnectionManager manager = filter.getTypedConfig().unpack(HttpConnectionManager.class);
                        Any config = manager.getTracing().getProvider().getTypedConfig();
                        String cluster = config.is(ZipkinConfig.class)
                                ? config.unpack(ZipkinConfig.class).getCollectorCluster()
                                : config.is(OpenTelemetryConfig.class)
                                        ? config.unpack(OpenTelemetryConfig.class).getGrpcService().getEnvoyGrpc().getClusterName()
                                        : null;
                        if (cluster != null && !clusters.contains(cluster)) {
                            violations.add(where + ": the tracer's collector cluster '" + cluster + "' is not among the"
                                    + " proxy's clusters (Envoy: unknown cluster)");
                        }
                    } catch (InvalidProtocolBufferException e) {
                        violations.add(where + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** access_log/access_log_manager_impl.cc: "unable to open file" refuses the listener ({@link AccessLogPaths}). */
    private static void logPath(String path, String where, List<String> violations) {
        String problem = AccessLogPaths.problem(path);
        if (problem != null) {
            violations.add(where + ".path: " + problem);
        }
    }

    private static void format(SubstitutionFormatString format, String where, List<String> violations) {
        if (format.hasTextFormatSource()) {
            EnvoyFormatGrammar.problems(format.getTextFormatSource().getInlineString())
                    .forEach(p -> violations.add(where + ".log_format: " + p));
        }
        format.getJsonFormat().getFieldsMap().forEach((key, value) -> EnvoyFormatGrammar.problems(value.getStringValue())
                .forEach(p -> violations.add(where + ".log_format.json_format." + key + ": " + p)));
    }

    /**
     * listener_manager/filter_chain_manager_impl.cc: "multiple filter chains with the same matching rules
     * are defined" refuses the listener. Matches are compared with their lists as sets, as Envoy's tree does.
     */
    private static void listener(Listener listener, List<String> violations) {
        Map<FilterChainMatch, Integer> seen = new HashMap<>();
        for (int i = 0; i < listener.getFilterChainsCount(); i++) {
            FilterChainMatch match = normalized(listener.getFilterChains(i).getFilterChainMatch());
            Integer first = seen.putIfAbsent(match, i);
            if (first != null) {
                violations.add("Listener.filter_chains[" + i + "].filter_chain_match: the same as filter_chains[" + first
                        + "]'s; Envoy refuses a listener whose filter chains match alike (" + describe(match) + ")");
            }
        }
    }

    private static FilterChainMatch normalized(FilterChainMatch match) {
        FilterChainMatch.Builder sorted = match.toBuilder();
        for (FieldDescriptor field : match.getDescriptorForType().getFields()) {
            if (field.isRepeated() && match.getRepeatedFieldCount(field) > 1) {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < match.getRepeatedFieldCount(field); i++) {
                    items.add(match.getRepeatedField(field, i));
                }
                items.sort(Comparator.comparing(Object::toString));
                sorted.clearField(field);
                items.stream().distinct().forEach(item -> sorted.addRepeatedField(field, item));
            }
        }
        return sorted.build();
    }

    private static String describe(FilterChainMatch match) {
        String text = com.google.protobuf.TextFormat.printer().shortDebugString(match);
        return text.isEmpty() ? "matching everything" : text;
    }

    private static void cluster(Cluster cluster, List<String> violations) {
        if (cluster.hasOutlierDetection()) {
            var detection = cluster.getOutlierDetection();
            long base = detection.hasBaseEjectionTime() ? Durations.millis(detection.getBaseEjectionTime())
                    : Durations.ENVOY_BASE_EJECTION_TIME_MS;
            long max = detection.hasMaxEjectionTime() ? Durations.millis(detection.getMaxEjectionTime())
                    : Durations.ENVOY_MAX_EJECTION_TIME_MS;
            // upstream/outlier_detection_impl.cc (DetectorImpl::create) refuses the whole cluster
            if (max < base) {
                violations.add("Cluster.outlier_detection.max_ejection_time: " + max + " ms"
                        + (detection.hasMaxEjectionTime() ? "" : " (Envoy's default)") + " is below base_ejection_time "
                        + base + " ms; Envoy refuses the cluster (\"outlier detector's max_ejection_time cannot be smaller"
                        + " than base_ejection_time\")");
            }
        }
        for (int i = 0; i < cluster.getHealthChecksCount(); i++) {
            HealthCheck check = cluster.getHealthChecks(i);
            // source/common/upstream/health_checker_impl.cc: "cluster must support HTTP/2 for gRPC healthchecking"
            if (check.hasGrpcHealthCheck() && !http2(cluster)) {
                violations.add("Cluster.health_checks[" + i + "].grpc_health_check: the cluster does not use HTTP/2,"
                        + " which Envoy requires for gRPC health checks");
            }
        }
    }

    /** Whether the cluster speaks HTTP/2 upstream (Envoy's ClusterInfo HTTP2 feature). */
    static boolean http2(Cluster cluster) {
        Any options = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterTranslator.HTTP_PROTOCOL_OPTIONS);
        if (options == null) {
            return false;
        }
        try {
            HttpProtocolOptions http = options.unpack(HttpProtocolOptions.class);
            return http.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                    || http.getAutoConfig().hasHttp2ProtocolOptions()
                    || http.getUseDownstreamProtocolConfig().hasHttp2ProtocolOptions();
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }
}
