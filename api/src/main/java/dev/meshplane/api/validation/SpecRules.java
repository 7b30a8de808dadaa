package dev.meshplane.api.validation;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.Duration;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GrpcRetryPolicy;
import dev.meshplane.api.model.HeaderMatchMethod;
import dev.meshplane.api.model.HttpGatewayRouteMatch;
import dev.meshplane.api.model.HttpGatewayRoutePrefixRewrite;
import dev.meshplane.api.model.HttpPathMatch;
import dev.meshplane.api.model.HttpRetryPolicy;
import dev.meshplane.api.model.HttpRouteMatch;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.ListenerTlsCertificate;
import dev.meshplane.api.model.MatchRange;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.TlsValidationContextTrust;
import dev.meshplane.api.model.VirtualGatewayListener;
import dev.meshplane.api.model.VirtualGatewayListenerTlsCertificate;
import dev.meshplane.api.model.VirtualGatewayTlsValidationContextTrust;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rules App Mesh enforces that its model does not spell out as constraints (those its documentation
 * strings state, each cited where it is checked), what Envoy would refuse when it loads the configuration
 * made from a spec (access log formats, virtual host domains), and the things Meshplane refuses rather
 * than silently dropping (ACM certificates, which live only in AWS). One rule per shape; a walker applies
 * them wherever the shape appears and reports JSON paths. {@link #check} throws BadRequestException.
 */
public final class SpecRules {

    /** The injector's {@code @<owner account>} at the end of a mesh name in a node id. */
    private static final java.util.regex.Pattern SHARED_MESH_SUFFIX = java.util.regex.Pattern.compile("@\\d{12}$");


    private static final java.util.regex.Pattern HEADER_NAME =
            java.util.regex.Pattern.compile("^[0-9A-Za-z!#$%&'*+\\-.^_`|~]+$");

    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile("^[0-9A-Za-z._-]+$");
    /**
     * The port of Envoy's admin interface in Meshplane's bootstraps and in App Mesh's Envoy image
     * (amazon-ecs-service-connect-agent, agent/envoy_bootstrap/envoy_bootstrap.go: ENVOY_ADMIN_ACCESS_PORT, 9901 by default).
     */
    public static final int ENVOY_ADMIN_PORT = 9901;
    /** App Mesh's ProxyIngressPort: where redirected inbound traffic reaches the sidecar (its listener lds_ingress_0.0.0.0_15000). */
    public static final int PROXY_INGRESS_PORT = 15000;
    /** App Mesh's ProxyEgressPort: where redirected outbound traffic reaches the sidecar (lds_egress_0.0.0.0_15001). */
    public static final int PROXY_EGRESS_PORT = 15001;

    /** The longest protobuf Duration, in seconds (google/protobuf/duration.proto). */
    static final long MAX_DURATION_SECONDS = 315_576_000_000L;

    static final Set<String> HTTP_RETRY_EVENTS = Set.of("server-error", "gateway-error", "client-error", "stream-error");

    // The model's HttpRetryPolicy/GrpcRetryPolicy: "Specify at least one value for at least one of the types of
    // RetryEvents"; App Mesh has no default event, and neither the CDK nor the controller's webhooks fill one in
    private static final String RETRY_EVENTS_FIX = ": App Mesh retries only on the events listed and refuses a policy"
            + " with none; list the failures to retry, e.g. httpRetryEvents [server-error, gateway-error]";

    private static final Map<Class<?>, BiConsumer<Object, Findings>> RULES = new LinkedHashMap<>();

    static {
        rule(RouteSpec.class, (s, f) -> f.exactlyOne(s.grpcRoute(), s.http2Route(), s.httpRoute(), s.tcpRoute(),
                "grpcRoute", "http2Route", "httpRoute", "tcpRoute"));
        rule(GatewayRouteSpec.class, (s, f) -> f.exactlyOne(s.grpcRoute(), s.http2Route(), s.httpRoute(), null,
                "grpcRoute", "http2Route", "httpRoute", null));
        rule(HttpRouteMatch.class, (m, f) -> {
            if ((m.prefix() == null) == (m.path() == null)) {
                f.add("", "exactly one of [path, prefix] must be set");
            }
            f.prefix("prefix", m.prefix());
        });
        rule(HttpGatewayRouteMatch.class, (m, f) -> {
            if (m.prefix() != null && m.path() != null) {
                f.add("", "at most one of [path, prefix] may be set");
            }
            // the App Mesh controller's webhooks/appmesh/gatewayroute_validator.go: "Either prefix or path or
            // hostname must be specified"; the translator read none as prefix '/', catching every request
            if (m.prefix() == null && m.path() == null && m.hostname() == null) {
                f.add("", "at least one of [hostname, path, prefix] must be set (App Mesh refuses a gateway route"
                        + " matching nothing in particular); match every request with prefix '/'");
            }
            f.prefix("prefix", m.prefix());
            // App Mesh user guide, gateway-routes.md: "You can't specify either /aws-appmesh* or /aws-app-mesh* for
            // Prefix match. These prefixes are reserved for future App Mesh internal use."
            if (m.prefix() != null && (m.prefix().startsWith("/aws-appmesh") || m.prefix().startsWith("/aws-app-mesh"))) {
                f.add("prefix", "'" + m.prefix() + "': prefixes beginning with /aws-appmesh or /aws-app-mesh are"
                        + " reserved by App Mesh");
            }
            if (m.queryParameters() != null) {
                for (int i = 0; i < m.queryParameters().size(); i++) {
                    var match = m.queryParameters().get(i) == null ? null : m.queryParameters().get(i).match();
                    // gatewayroute_validator.go: "Missing Match criteria for one or more exact query match block"
                    if (match != null && match.exact() == null) {
                        f.add("queryParameters[" + i + "].match.exact", "is required when match is given (App Mesh"
                                + " refuses an empty match; leave match out to match the parameter's presence)");
                    }
                }
            }
        });
        rule(HttpPathMatch.class, (m, f) -> {
            f.exactlyOne(m.exact(), m.regex(), null, null, "exact", "regex", null, null);
            f.regex("regex", m.regex());
            if (m.exact() != null && !m.exact().startsWith("/")) {
                f.add("exact", "must start with '/'");
            }
            f.pathMatch("exact", m.exact());
        });
        rule(HeaderMatchMethod.class, (m, f) -> f.regex("regex", m.regex()));
        rule(dev.meshplane.api.model.GrpcRouteMetadataMatchMethod.class, (m, f) -> f.regex("regex", m.regex()));
        rule(dev.meshplane.api.model.GrpcMetadataMatchMethod.class, (m, f) -> f.regex("regex", m.regex()));
        rule(dev.meshplane.api.model.HttpRouteHeader.class, (h, f) -> f.headerName("name", h.name()));
        rule(dev.meshplane.api.model.HttpGatewayRouteHeader.class, (h, f) -> f.headerName("name", h.name()));
        rule(dev.meshplane.api.model.GrpcRouteMetadata.class, (h, f) -> {
            f.headerName("name", h.name());
            f.grpcMetadataName("name", h.name());
        });
        rule(dev.meshplane.api.model.GrpcGatewayRouteMetadata.class, (h, f) -> f.headerName("name", h.name()));
        rule(MatchRange.class, (r, f) -> {
            if (r.start() != null && r.end() != null && r.start() >= r.end()) {
                f.add("", "start (" + r.start() + ") must be less than end (" + r.end() + ")");
            }
        });
        rule(HttpRetryPolicy.class, (p, f) -> {
            f.retryEvents(p.httpRetryEvents());
            if (p.httpRetryEvents() == null && p.tcpRetryEvents() == null) {
                f.add("", "at least one of [httpRetryEvents, tcpRetryEvents] must be set" + RETRY_EVENTS_FIX);
            }
        });
        rule(GrpcRetryPolicy.class, (p, f) -> {
            f.retryEvents(p.httpRetryEvents());
            if (p.grpcRetryEvents() == null && p.httpRetryEvents() == null && p.tcpRetryEvents() == null) {
                f.add("", "at least one of [grpcRetryEvents, httpRetryEvents, tcpRetryEvents] must be set" + RETRY_EVENTS_FIX);
            }
        });
        rule(Duration.class, (d, f) -> {
            if (d.unit() == null) {
                f.add("unit", "is required");
            }
            if (d.value() == null) {
                f.add("value", "is required");
            } else if (d.unit() != null && d.value() > MAX_DURATION_SECONDS * (d.unit() == dev.meshplane.api.model.DurationUnit.MS ? 1000 : 1)) {
                // google/protobuf/duration.proto: seconds "must be from -315,576,000,000 to +315,576,000,000";
                // Envoy and gRPC refuse a resource holding a longer one
                f.add("value", "must be at most " + MAX_DURATION_SECONDS + " seconds (about 10,000 years, the longest"
                        + " duration Envoy and gRPC accept), got " + d.value() + " " + d.unit().wireValue());
            }
        });
        rule(dev.meshplane.api.model.DnsServiceDiscovery.class, (d, f) -> {
            // Envoy's core/v3/address.proto: SocketAddress.address has PGV "min_len: 1"; a blank or spaced name is
            // no host name any resolver answers
            if (d.hostname() != null && (d.hostname().isBlank() || d.hostname().chars().anyMatch(Character::isWhitespace))) {
                f.add("hostname", "must be a host name or IP address, without spaces, got '" + d.hostname() + "'");
            }
        });
        rule(dev.meshplane.api.model.HttpQueryParameter.class, (q, f) -> {
            // Envoy's route/v3/route_components.proto: QueryParameterMatcher.name has PGV "min_len: 1"
            if (q.name() != null && q.name().isEmpty()) {
                f.add("name", "must not be empty");
            }
        });
        rule(HttpGatewayRoutePrefixRewrite.class, (r, f) -> f.exactlyOne(r.defaultPrefix(), r.value(), null, null,
                "defaultPrefix", "value", null, null));
        rule(Listener.class, (l, f) -> {
            String protocol = l.portMapping() == null || l.portMapping().protocol() == null
                    ? null : l.portMapping().protocol().wireValue();
            f.sameProtocol("connectionPool", protocol, l.connectionPool() == null ? null
                    : setMember(l.connectionPool()));
            f.sameProtocol("timeout", protocol, l.timeout() == null ? null : setMember(l.timeout()));
            f.grpcHealthCheck(protocol, l.healthCheck());
            // the sidecar sends a listener port's traffic to 127.0.0.1:<port>, where the application shares the
            // sidecar's network namespace: on the sidecar's own ports it would reach Envoy again, not the application
            Integer port = l.portMapping() == null ? null : l.portMapping().port();
            if (port != null && (port == PROXY_INGRESS_PORT || port == PROXY_EGRESS_PORT || port == ENVOY_ADMIN_PORT)) {
                f.add("portMapping.port", "port " + port + " is the sidecar's own (" + PROXY_INGRESS_PORT + " inbound, "
                        + PROXY_EGRESS_PORT + " outbound, " + ENVOY_ADMIN_PORT + " admin, as in App Mesh's Envoy image);"
                        + " the application cannot listen on it beside its Envoy, and traffic would loop back into Envoy");
            }
        });
        rule(dev.meshplane.api.model.OutlierDetection.class, (o, f) -> {
            // Envoy's cluster/v3/outlier_detection.proto: interval and base_ejection_time carry PGV "duration.gt: 0s",
            // and a cluster breaking them is refused
            f.positive("interval", o.interval());
            f.positive("baseEjectionDuration", o.baseEjectionDuration());
        });
        rule(Listener.class, (l, f) -> f.healthCheckPort(l.portMapping() == null ? null : l.portMapping().port(),
                l.healthCheck() == null ? null : l.healthCheck().port()));
        rule(VirtualGatewayListener.class, (l, f) -> f.healthCheckPort(
                l.portMapping() == null ? null : l.portMapping().port(), l.healthCheck() == null ? null : l.healthCheck().port()));
        rule(dev.meshplane.api.model.HealthCheckPolicy.class, (h, f) -> f.healthCheckPath(h.path()));
        rule(dev.meshplane.api.model.VirtualGatewayHealthCheckPolicy.class, (h, f) -> f.healthCheckPath(h.path()));
        rule(VirtualGatewayListener.class, (l, f) -> {
            String protocol = l.portMapping() == null || l.portMapping().protocol() == null
                    ? null : l.portMapping().protocol().wireValue();
            // a gateway's Envoy binds each listener port itself and its admin interface holds this one:
            // network/listen_socket_impl.cc "cannot bind '0.0.0.0:9901': Address already in use" refuses the listener
            if (l.portMapping() != null && l.portMapping().port() != null && l.portMapping().port() == ENVOY_ADMIN_PORT) {
                f.add("portMapping.port", "port " + ENVOY_ADMIN_PORT + " is the Envoy admin interface's port in"
                        + " Meshplane's bootstraps and App Mesh's Envoy image (ENVOY_ADMIN_ACCESS_PORT); Envoy could not"
                        + " bind the listener and would refuse the gateway's listeners");
            }
            f.sameProtocol("connectionPool", protocol, l.connectionPool() == null ? null
                    : setMember(l.connectionPool()));
        });
        rule(dev.meshplane.api.model.CreateMeshRequest.class, (r, f) -> {
            if (TextRules.reserved(r.meshName())) {
                f.add("meshName", "names beginning with '" + TextRules.RESERVED_PREFIX + "' are reserved for Meshplane's own state");
            }
            // a proxy names a mesh shared from another account mesh/<mesh>@<owner account>/... (the App Mesh controller's
            // injector, pkg/inject/envoy.go getAugmentedMeshName): this mesh's proxies would name the mesh before the '@'
            if (r.meshName() != null && SHARED_MESH_SUFFIX.matcher(r.meshName()).find()) {
                f.add("meshName", "must not end in '@' and 12 digits: a proxy's node id mesh/" + r.meshName()
                        + "/virtualNode/<name> names mesh '" + r.meshName().substring(0, r.meshName().lastIndexOf('@'))
                        + "' shared from that account, so this mesh's proxies could not name it");
            }
        });
        // App Mesh refuses duplicate port mappings: Envoy would get two filter chains (or listeners) matching alike
        rule(dev.meshplane.api.model.VirtualNodeSpec.class, (s, f) -> {
            f.uniquePorts("listeners", s.listeners(), l -> l.portMapping() == null ? null : l.portMapping().port());
            f.uniqueBackends(s.backends());
            // API model, VirtualNodeSpec.serviceDiscovery: "If you specify a listener, then you must specify service
            // discovery information"; the App Mesh controller's webhooks/appmesh/virtualnode_validator.go refuses it too
            // ("ServiceDiscovery must be specified when a listener is specified"): without it the node has no
            // endpoints, and every caller's traffic to it would be dropped
            if (s.listeners() != null && !s.listeners().isEmpty() && s.serviceDiscovery() == null) {
                f.add("serviceDiscovery", "is required when the node has listeners (App Mesh refuses a listener without"
                        + " service discovery: callers could find no endpoint of this node); give awsCloudMap"
                        + " (namespaceName, serviceName) or dns (hostname)");
            }
        });
        rule(dev.meshplane.api.model.VirtualRouterSpec.class, (s, f) -> f.uniquePorts("listeners", s.listeners(),
                l -> l.portMapping() == null ? null : l.portMapping().port()));
        rule(dev.meshplane.api.model.VirtualGatewaySpec.class, (s, f) -> f.uniquePorts("listeners", s.listeners(),
                l -> l.portMapping() == null ? null : l.portMapping().port()));
        // API model, GrpcRouteMatch.methodName: "If you specify a name, you must also specify a serviceName."
        rule(dev.meshplane.api.model.GrpcRouteMatch.class, (m, f) -> {
            if (m.methodName() != null && m.serviceName() == null) {
                f.add("methodName", "needs serviceName as well (App Mesh refuses a method name without its service;"
                        + " alone it would match every call)");
            }
            f.grpcPathSegment("serviceName", m.serviceName());
            f.grpcPathSegment("methodName", m.methodName());
        });
        rule(dev.meshplane.api.model.GrpcGatewayRouteMatch.class, (m, f) -> {
            f.grpcPathSegment("serviceName", m.serviceName());
            // gatewayroute_validator.go: "Either servicename or hostname must be specified"
            if (m.serviceName() == null && m.hostname() == null) {
                f.add("", "at least one of [hostname, serviceName] must be set (App Mesh refuses a gRPC gateway route"
                        + " matching nothing in particular)");
            }
            // gateway-routes.md: "You can't specify /aws.app-mesh* or aws.appmesh for the Service name. These
            // service names are reserved for future App Mesh internal use."
            if (m.serviceName() != null && (m.serviceName().startsWith("aws.app-mesh") || m.serviceName().equals("aws.appmesh"))) {
                f.add("serviceName", "'" + m.serviceName() + "' is reserved by App Mesh (aws.app-mesh*, aws.appmesh)");
            }
        });
        rule(dev.meshplane.api.model.HttpRouteAction.class, (a, f) -> f.totalWeight(a.weightedTargets()));
        rule(dev.meshplane.api.model.GrpcRouteAction.class, (a, f) -> f.totalWeight(a.weightedTargets()));
        rule(dev.meshplane.api.model.TcpRouteAction.class, (a, f) -> f.totalWeight(a.weightedTargets()));
        rule(dev.meshplane.api.model.HttpGatewayRoute.class, (r, f) -> f.gatewayRewrite(r.match(),
                r.action() == null ? null : r.action().rewrite()));
        rule(dev.meshplane.api.model.LoggingFormat.class, SpecRules::accessLogFormat);
        rule(dev.meshplane.api.model.FileAccessLog.class, (l, f) -> f.accessLogPath(l.path()));
        rule(dev.meshplane.api.model.VirtualGatewayFileAccessLog.class, (l, f) -> f.accessLogPath(l.path()));
        rule(dev.meshplane.api.model.GatewayRouteHostnameMatch.class, (h, f) -> {
            f.exactlyOne(h.exact(), h.suffix(), null, null, "exact", "suffix", null, null);
            f.hostname("exact", h.exact());
            f.hostname("suffix", h.suffix());
        });
        // the name becomes Envoy virtual host domains, with ':<port>' added, and gRPC clients dial xds:///<name>:<port>
        rule(dev.meshplane.api.model.CreateVirtualServiceRequest.class, (r, f) -> {
            String name = r.virtualServiceName();
            if (name != null && name.contains("*")) {
                f.add("virtualServiceName", "'" + name + "' has a '*', which Envoy would read as a wildcard domain"
                        + " catching other hosts' requests (config_impl.cc)");
            }
            if (name != null && name.contains(":")) {
                f.add("virtualServiceName", "'" + name + "' has a ':'; a virtual service name is a host name without a"
                        + " port (callers add ':<port>' to it)");
            }
        });
        rule(dev.meshplane.api.model.DnsServiceDiscovery.class, (d, f) -> f.ipLiteral("hostname",
                d.hostname() == null ? null : IpLiterals.hostname(d.hostname())));
        rule(dev.meshplane.api.model.ListenerTlsSdsCertificate.class, (c, f) -> f.secretName(c.secretName()));
        rule(dev.meshplane.api.model.TlsValidationContextSdsTrust.class, (t, f) -> f.secretName(t.secretName()));
        rule(dev.meshplane.api.model.VirtualGatewayListenerTlsSdsCertificate.class, (c, f) -> f.secretName(c.secretName()));
        rule(dev.meshplane.api.model.VirtualGatewayTlsValidationContextSdsTrust.class, (t, f) -> f.secretName(t.secretName()));
        rule(ListenerTlsCertificate.class, (c, f) -> f.noAcm(c.acm()));
        rule(VirtualGatewayListenerTlsCertificate.class, (c, f) -> f.noAcm(c.acm()));
        rule(TlsValidationContextTrust.class, (t, f) -> f.noAcm(t.acm()));
        rule(VirtualGatewayTlsValidationContextTrust.class, (t, f) -> f.noAcm(t.acm()));
    }

    private SpecRules() {
    }

    /** Envoy parses each format string when it loads the listener and refuses the listener for one bad command. */
    private static void accessLogFormat(dev.meshplane.api.model.LoggingFormat format, Findings f) {
        if (format.text() != null) {
            EnvoyFormatGrammar.problems(format.text()).forEach(p -> f.add("text", p));
        }
        if (format.json() != null) {
            Map<String, Integer> keys = new java.util.HashMap<>();
            for (int i = 0; i < format.json().size(); i++) {
                var entry = format.json().get(i);
                if (entry == null) {
                    continue;
                }
                String member = "json[" + i + "]";
                Integer earlier = entry.key() == null ? null : keys.putIfAbsent(entry.key(), i);
                if (earlier != null) {
                    // Envoy's JSON format is a map: a second value for a key would silently replace the first
                    f.add(member + ".key", "'" + entry.key() + "' is already the key of json[" + earlier + "]");
                }
                if (entry.value() != null) {
                    EnvoyFormatGrammar.problems(entry.value()).forEach(p -> f.add(member + ".value", p));
                }
            }
        }
    }

    /** Adds a check for records of {@code type}; a type with several checks runs them all, in registration order. */
    @SuppressWarnings("unchecked")
    private static <T> void rule(Class<T> type, BiConsumer<T, Findings> check) {
        BiConsumer<Object, Findings> added = (value, findings) -> check.accept((T) value, findings);
        RULES.merge(type, added, BiConsumer::andThen);
    }

    /** The name of the one member set in a union (its validity is checked separately), or null. */
    private static String setMember(Record union) {
        for (RecordComponent component : union.getClass().getRecordComponents()) {
            try {
                if (component.getAccessor().invoke(union) != null) {
                    return component.getName();
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** Applies every rule to a decoded request; throws BadRequestException listing all findings. */
    public static void check(Object request) {
        Findings findings = new Findings();
        walk(request, "", findings);
        if (!findings.messages.isEmpty()) {
            throw ApiException.badRequest(String.join("; ", findings.messages));
        }
    }

    private static void walk(Object value, String path, Findings findings) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", findings);
            }
            return;
        }
        if (!(value instanceof Record record)) {
            return;
        }
        BiConsumer<Object, Findings> rule = RULES.get(record.getClass());
        if (rule != null) {
            findings.at = path;
            rule.accept(record, findings);
        }
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object child;
            try {
                child = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (child != null) {
                walk(child, path.isEmpty() ? component.getName() : path + "." + component.getName(), findings);
            }
        }
    }

    /** Collects messages for the shape currently being checked. */
    static final class Findings {
        private final List<String> messages = new ArrayList<>();
        private String at = "";

        void add(String member, String message) {
            String where = member.isEmpty() ? at : at.isEmpty() ? member : at + "." + member;
            messages.add((where.isEmpty() ? "body" : where) + ": " + message);
        }

        void exactlyOne(Object a, Object b, Object c, Object d, String na, String nb, String nc, String nd) {
            List<String> names = new ArrayList<>(Arrays.asList(na, nb, nc, nd));
            names.removeIf(Objects::isNull);
            long set = Arrays.asList(a, b, c, d).stream().filter(Objects::nonNull).count();
            if (set != 1) {
                add("", "exactly one of " + names + " must be set, but " + set + " " + (set == 1 ? "is" : "are"));
            }
        }

        void prefix(String member, String prefix) {
            if (prefix != null && !prefix.startsWith("/")) {
                add(member, "must start with '/', got '" + prefix + "'");
            }
            pathMatch(member, prefix);
        }

        /** A path Envoy compares with the request's path, which it cuts at '?' and '#' first ({@link PathMatchRules}). */
        void pathMatch(String member, String path) {
            String problem = PathMatchRules.problem(path);
            if (problem != null) {
                add(member, problem + "; match query parameters with match.queryParameters");
            }
        }

        /** Envoy and gRPC use RE2: RE2's syntax, and a program size within Envoy's limit (RegexRules). */
        void regex(String member, String regex) {
            String problem = regex == null ? null : RegexRules.problem(regex);
            if (problem != null) {
                add(member, problem);
            }
        }

        void headerName(String member, String name) {
            if (name != null && !HEADER_NAME.matcher(name).matches()) {
                add(member, "'" + name + "' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
            }
        }

        void retryEvents(List<String> events) {
            if (events == null) {
                return;
            }
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) != null && !HTTP_RETRY_EVENTS.contains(events.get(i))) {
                    add("httpRetryEvents[" + i + "]", "'" + events.get(i) + "' is not one of "
                            + List.of("server-error", "gateway-error", "client-error", "stream-error"));
                }
            }
        }

        /** A listener's per-protocol settings must be for the protocol of its port mapping. */
        void sameProtocol(String member, String protocol, String setting) {
            if (protocol != null && setting != null && !protocol.equals(setting)) {
                add(member + "." + setting, "does not match the listener's protocol '" + protocol
                        + "'; use " + member + "." + protocol);
            }
        }

        /**
         * Envoy runs a gRPC health check only on a cluster that speaks HTTP/2 (health_checker_impl.cc:
         * "cluster must support HTTP/2 for gRPC healthchecking"), and callers reach http and tcp listeners without it.
         */
        void grpcHealthCheck(String protocol, dev.meshplane.api.model.HealthCheckPolicy check) {
            if (check != null && check.protocol() == dev.meshplane.api.model.PortProtocol.GRPC && protocol != null
                    && !protocol.equals("grpc") && !protocol.equals("http2")) {
                add("healthCheck.protocol", "a grpc health check needs a listener of protocol grpc or http2 (Envoy"
                        + " sends it over HTTP/2), but this listener's protocol is '" + protocol + "'");
            }
        }

        /** A duration Envoy requires to be longer than zero (its value is checked for presence by the Duration rule). */
        void positive(String member, Duration duration) {
            if (duration != null && duration.value() != null && duration.value() == 0) {
                add(member + ".value", "must be greater than 0: Envoy refuses the callers' clusters when it is 0");
            }
        }

        /** Envoy sends the path as the request's path: anything not starting with '/' is an invalid request. */
        void healthCheckPath(String path) {
            if (path != null && !path.startsWith("/")) {
                add("path", "must start with '/', got '" + path + "'");
            }
        }

        /**
         * A gateway route's host name becomes an Envoy virtual host domain. A '*' would make it a wildcard of other
         * hosts (config_impl.cc), and a port or a trailing dot would never match, since every connection manager
         * strips the Host's port and Envoy does not drop a trailing dot: refused rather than silently unmatched.
         */
        void hostname(String member, String name) {
            if (name == null) {
                return;
            }
            if (!HOST_NAME.matcher(name).matches()) {
                add(member, "'" + name + "' is not a host name: letters, digits, '.', '-' and '_' only, without a port"
                        + " or '*'");
            } else if (name.endsWith(".")) {
                add(member, "'" + name + "' ends with '.'; write the host name without the trailing dot");
            }
        }

        /**
         * A gRPC call's :path is "/" Service-Name "/" method name (gRPC's PROTOCOL-HTTP2.md), and a gRPC route matches
         * on it (path /service/method or prefix /service/). Envoy matches the path without its query string, and
         * neither it nor gRPC clients send a :path with spaces: an empty name or one holding '/', '?', '#' or a space
         * would match no call, silently.
         */
        /**
         * A virtual router's gRPC route reaches Envoy sidecars and proxyless gRPC clients alike, and gRPC clients match
         * metadata in their own way: grpc-java ({@code RoutingUtils.getHeaderValue}), grpc-js ({@code matcher.ts},
         * {@code HeaderMatcher}) and C-core ({@code GetHeaderValue}, {@code xds_routing.cc}) treat a name ending in
         * "-bin" as absent and read "content-type" as the constant "application/grpc", while Envoy matches the
         * base64 text and the content type sent (often "application/grpc+proto"). The other names gRPC's protocol
         * gives the library itself (PROTOCOL-HTTP2.md's Call-Definition: "te", "user-agent", "grpc-timeout",
         * "grpc-encoding" ..., and every "grpc-" name, which it reserves) are set by the library on the wire, where
         * Envoy sees them, not in the call's metadata those clients route on; and a name outside gRPC's Header-Name
         * grammar (0-9 a-z _ - .) is metadata no gRPC library sends. No route form behaves alike for both, so such
         * names are refused. Letter case alone is no difference: every client compares names lower-cased.
         */
        void grpcMetadataName(String member, String name) {
            if (name == null || name.isEmpty()) {
                return;
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            String why = null;
            if (lower.endsWith("-bin")) {
                why = "binary metadata: gRPC clients treat it as absent and never match it, while Envoy matches its"
                        + " base64 text";
            } else if (lower.equals("content-type")) {
                why = "gRPC clients match the content type as the constant 'application/grpc', while Envoy matches"
                        + " the one sent (often 'application/grpc+proto')";
            } else if (lower.equals("te") || lower.equals("user-agent") || lower.startsWith("grpc-")) {
                why = "set by the gRPC library itself (gRPC's PROTOCOL-HTTP2.md), which Envoy sees and gRPC clients'"
                        + " own routing does not: the route would match differently for proxyless clients";
            } else if (!lower.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '_'
                    || c == '-' || c == '.')) {
                why = "not a gRPC metadata name (gRPC's PROTOCOL-HTTP2.md: 0-9 a-z _ - .); no gRPC client can send it";
            }
            if (why != null) {
                add(member, "'" + name + "': " + why);
            }
        }

        void grpcPathSegment(String member, String name) {
            if (name == null) {
                return;
            }
            if (name.isEmpty()) {
                add(member, "must not be empty (a gRPC call's path is /<service>/<method>)");
            } else if (name.chars().anyMatch(c -> c == '/' || c == '?' || c == '#' || Character.isWhitespace(c))) {
                add(member, "'" + name + "' has a '/', '?', '#' or space; a gRPC call's path is /<service>/<method>,"
                        + " so no call would match it");
            }
        }

        /**
         * Envoy asks its SDS server for the secret by this name and keeps the listener or cluster waiting until it is
         * served (Envoy's docs, configuration/security/secret.rst; context_config_impl.cc passes the name on as it is):
         * the model leaves SdsSecretName unconstrained, but no SDS server serves an empty or blank name.
         */
        void secretName(String name) {
            if (name != null && name.isBlank()) {
                add("secretName", "must name a secret (an SDS server serves none by an empty name, and Envoy would wait"
                        + " for it, sending no traffic through that listener or cluster)");
            }
        }

        /** Each listener's port once: App Mesh refuses duplicate port mappings, whatever their protocols. */
        <T> void uniquePorts(String member, List<T> listeners, java.util.function.Function<T, Integer> port) {
            if (listeners == null) {
                return;
            }
            Map<Integer, Integer> first = new java.util.HashMap<>();
            for (int i = 0; i < listeners.size(); i++) {
                Integer p = listeners.get(i) == null ? null : port.apply(listeners.get(i));
                Integer earlier = p == null ? null : first.putIfAbsent(p, i);
                if (earlier != null) {
                    add(member + "[" + i + "].portMapping.port", "port " + p + " is already mapped by " + member + "["
                            + earlier + "]; each listener needs a port of its own (App Mesh refuses duplicate port mappings)");
                }
            }
        }

        /**
         * A backend named twice (even in another letter case) would give two virtual hosts whose domains Envoy
         * lower-cases and refuses as duplicates (config_impl.cc: "Only unique values for domains are permitted").
         */
        void uniqueBackends(List<dev.meshplane.api.model.Backend> backends) {
            if (backends == null) {
                return;
            }
            Map<String, Integer> first = new java.util.HashMap<>();
            for (int i = 0; i < backends.size(); i++) {
                var backend = backends.get(i) == null ? null : backends.get(i).virtualService();
                String name = backend == null || backend.virtualServiceName() == null ? null
                        : backend.virtualServiceName().toLowerCase(java.util.Locale.ROOT);
                Integer earlier = name == null ? null : first.putIfAbsent(name, i);
                if (earlier != null) {
                    add("backends[" + i + "].virtualService.virtualServiceName", "'" + backend.virtualServiceName()
                            + "' is already backends[" + earlier + "] (host names are case-insensitive, and Envoy refuses"
                            + " a route configuration naming a domain twice)");
                }
            }
        }

        /** API model, WeightedTarget: "The total weight for all targets combined must be less than or equal to 100." */
        void totalWeight(List<dev.meshplane.api.model.WeightedTarget> targets) {
            if (targets == null) {
                return;
            }
            int total = targets.stream().filter(Objects::nonNull).map(dev.meshplane.api.model.WeightedTarget::weight)
                    .filter(Objects::nonNull).mapToInt(Integer::intValue).sum();
            if (total > 100) {
                add("weightedTargets", "the weights add up to " + total + "; App Mesh allows at most 100 in all");
            }
        }

        /**
         * A prefix rewrite applies to a prefix match and a path rewrite replaces the whole path: a prefix rewrite on a
         * path match, or both rewrites at once, would be ignored in part, so they are refused.
         */
        void gatewayRewrite(HttpGatewayRouteMatch match, dev.meshplane.api.model.HttpGatewayRouteRewrite rewrite) {
            if (rewrite == null) {
                return;
            }
            if (rewrite.prefix() != null && rewrite.path() != null) {
                add("action.rewrite", "at most one of [path, prefix] may be set");
            } else if (rewrite.prefix() != null && match != null && match.path() != null) {
                add("action.rewrite.prefix", "rewrites a matched prefix, but this route matches match.path;"
                        + " use action.rewrite.path or match.prefix");
            }
            // the App Mesh controller's gatewayroute_validator.go: "Either prefix, path or hostname for rewrite must
            // be specified", and "New Rewrite Prefix must start and end with '/'"
            if (rewrite.prefix() == null && rewrite.path() == null && rewrite.hostname() == null) {
                add("action.rewrite", "at least one of [hostname, path, prefix] must be set (App Mesh refuses an empty"
                        + " rewrite); leave rewrite out for the default rewrites");
            }
            String value = rewrite.prefix() == null ? null : rewrite.prefix().value();
            if (value != null && (!value.startsWith("/") || !value.endsWith("/"))) {
                add("action.rewrite.prefix.value", "must start and end with '/' (App Mesh refuses other prefix"
                        + " rewrites), got '" + value + "'");
            }
            if (rewrite.path() != null && rewrite.path().exact() != null && !rewrite.path().exact().startsWith("/")) {
                add("action.rewrite.path.exact", "must start with '/', got '" + rewrite.path().exact() + "'");
            }
        }

        /** A path Envoy can open as its access log file ({@link AccessLogPaths}); both sidecar listeners share it. */
        void accessLogPath(String path) {
            String problem = AccessLogPaths.problem(path);
            if (problem != null) {
                add("path", problem + " (write a file's path, such as /dev/stdout or /var/log/envoy/access.log)");
            }
        }

        /** API model, HealthCheckPolicy.port: "This port must match the port defined in the PortMapping for the listener." */
        void healthCheckPort(Integer listenerPort, Integer healthCheckPort) {
            if (listenerPort != null && healthCheckPort != null && !healthCheckPort.equals(listenerPort)) {
                add("healthCheck.port", "must be the listener's port " + listenerPort + " (App Mesh requires the"
                        + " health check port to match the port mapping), got " + healthCheckPort);
            }
        }

        void ipLiteral(String member, String problem) {
            if (problem != null) {
                add(member, problem);
            }
        }

        void noAcm(Object acm) {
            if (acm != null) {
                add("acm", "ACM certificates exist only inside AWS and Meshplane cannot use them;"
                        + " use 'file' (paths on the proxy) or 'sds' (a secret delivered by Meshplane) instead");
            }
        }
    }
}
