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
 * The rules App Mesh enforces that its model does not spell out as constraints, and the things
 * Meshplane refuses rather than silently dropping (ACM certificates, which live only in AWS).
 * One rule per shape; a walker applies them wherever the shape appears and reports JSON paths.
 */
public final class SpecRules {

    private static final java.util.regex.Pattern HEADER_NAME =
            java.util.regex.Pattern.compile("^[0-9A-Za-z!#$%&'*+\\-.^_`|~]+$");

    /** The longest protobuf Duration, in seconds (google/protobuf/duration.proto). */
    static final long MAX_DURATION_SECONDS = 315_576_000_000L;

    static final Set<String> HTTP_RETRY_EVENTS = Set.of("server-error", "gateway-error", "client-error", "stream-error");

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
            f.prefix("prefix", m.prefix());
        });
        rule(HttpPathMatch.class, (m, f) -> {
            f.exactlyOne(m.exact(), m.regex(), null, null, "exact", "regex", null, null);
            f.regex("regex", m.regex());
            if (m.exact() != null && !m.exact().startsWith("/")) {
                f.add("exact", "must start with '/'");
            }
        });
        rule(HeaderMatchMethod.class, (m, f) -> f.regex("regex", m.regex()));
        rule(dev.meshplane.api.model.GrpcRouteMetadataMatchMethod.class, (m, f) -> f.regex("regex", m.regex()));
        rule(dev.meshplane.api.model.GrpcMetadataMatchMethod.class, (m, f) -> f.regex("regex", m.regex()));
        rule(dev.meshplane.api.model.HttpRouteHeader.class, (h, f) -> f.headerName("name", h.name()));
        rule(dev.meshplane.api.model.HttpGatewayRouteHeader.class, (h, f) -> f.headerName("name", h.name()));
        rule(dev.meshplane.api.model.GrpcRouteMetadata.class, (h, f) -> f.headerName("name", h.name()));
        rule(dev.meshplane.api.model.GrpcGatewayRouteMetadata.class, (h, f) -> f.headerName("name", h.name()));
        rule(MatchRange.class, (r, f) -> {
            if (r.start() != null && r.end() != null && r.start() >= r.end()) {
                f.add("", "start (" + r.start() + ") must be less than end (" + r.end() + ")");
            }
        });
        rule(HttpRetryPolicy.class, (p, f) -> {
            f.retryEvents(p.httpRetryEvents());
            if (p.httpRetryEvents() == null && p.tcpRetryEvents() == null) {
                f.add("", "at least one of [httpRetryEvents, tcpRetryEvents] must be set");
            }
        });
        rule(GrpcRetryPolicy.class, (p, f) -> {
            f.retryEvents(p.httpRetryEvents());
            if (p.grpcRetryEvents() == null && p.httpRetryEvents() == null && p.tcpRetryEvents() == null) {
                f.add("", "at least one of [grpcRetryEvents, httpRetryEvents, tcpRetryEvents] must be set");
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
        });
        rule(dev.meshplane.api.model.OutlierDetection.class, (o, f) -> {
            // Envoy's cluster/v3/outlier_detection.proto: interval and base_ejection_time carry PGV "duration.gt: 0s",
            // and a cluster breaking them is refused
            f.positive("interval", o.interval());
            f.positive("baseEjectionDuration", o.baseEjectionDuration());
        });
        rule(dev.meshplane.api.model.HealthCheckPolicy.class, (h, f) -> f.healthCheckPath(h.path()));
        rule(dev.meshplane.api.model.VirtualGatewayHealthCheckPolicy.class, (h, f) -> f.healthCheckPath(h.path()));
        rule(VirtualGatewayListener.class, (l, f) -> {
            String protocol = l.portMapping() == null || l.portMapping().protocol() == null
                    ? null : l.portMapping().protocol().wireValue();
            f.sameProtocol("connectionPool", protocol, l.connectionPool() == null ? null
                    : setMember(l.connectionPool()));
        });
        rule(dev.meshplane.api.model.CreateMeshRequest.class, (r, f) -> {
            if (TextRules.reserved(r.meshName())) {
                f.add("meshName", "names beginning with '" + TextRules.RESERVED_PREFIX + "' are reserved for Meshplane's own state");
            }
        });
        rule(ListenerTlsCertificate.class, (c, f) -> f.noAcm(c.acm()));
        rule(VirtualGatewayListenerTlsCertificate.class, (c, f) -> f.noAcm(c.acm()));
        rule(TlsValidationContextTrust.class, (t, f) -> f.noAcm(t.acm()));
        rule(VirtualGatewayTlsValidationContextTrust.class, (t, f) -> f.noAcm(t.acm()));
    }

    private SpecRules() {
    }

    @SuppressWarnings("unchecked")
    private static <T> void rule(Class<T> type, BiConsumer<T, Findings> check) {
        RULES.put(type, (value, findings) -> check.accept((T) value, findings));
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
        }

        /** Envoy and gRPC use RE2, which has no lookaround or backreferences: check with RE2's own syntax. */
        void regex(String member, String regex) {
            if (regex == null) {
                return;
            }
            try {
                com.google.re2j.Pattern.compile(regex);
            } catch (com.google.re2j.PatternSyntaxException e) {
                add(member, "is not a valid RE2 regular expression: " + e.getDescription());
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

        void noAcm(Object acm) {
            if (acm != null) {
                add("acm", "ACM certificates exist only inside AWS and Meshplane cannot use them;"
                        + " use 'file' (paths on the proxy) or 'sds' (a secret delivered by Meshplane) instead");
            }
        }
    }
}
