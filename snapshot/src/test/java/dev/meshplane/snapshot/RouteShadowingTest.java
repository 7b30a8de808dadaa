package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Int64Range;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A route that a route before it always wins over is reported in translationNotes (issue 12, item 7: no route may be
 * dropped silently), for sidecars, gateways and gRPC clients; and only when that is proven: regexes, inversions,
 * ranges and anything not modelled count as "not shadowed".
 */
class RouteShadowingTest {

    private static final String MESH = """
            {"mesh": "m",
             "virtualNodes": {
               "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
               "a": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}},
                                   {"portMapping": {"port": 9090, "protocol": "http"}}],
                     "serviceDiscovery": {"dns": {"hostname": "a.local"}}}},
             "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
             "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}},
                                                         {"portMapping": {"port": 9090, "protocol": "http"}}]}},
             "routes": {"router": {ROUTES}},
             "virtualGateways": {"gw": {"listeners": [{"portMapping": {"port": 8443, "protocol": "http"}}]}},
             "gatewayRoutes": {"gw": {GATEWAY_ROUTES}}}
            """;

    private static String route(String name, String priority, String match) {
        return "\"" + name + "\": {" + (priority == null ? "" : "\"priority\": " + priority + ", ")
                + "\"httpRoute\": {\"match\": " + match + ", \"action\": {\"weightedTargets\": [{\"virtualNode\": \"a\","
                + " \"port\": 8080, \"weight\": 1}]}}}";
    }

    private static String gatewayRoute(String name, String priority, String prefix) {
        return "\"" + name + "\": {\"priority\": " + priority + ", \"httpRoute\": {\"match\": {\"prefix\": \"" + prefix
                + "\"}, \"action\": {\"target\": {\"virtualService\": {\"virtualServiceName\": \"svc.local\"}}}}}";
    }

    private static ProxyResources translate(ProxyId.Kind kind, String name, String routes, String gatewayRoutes) {
        String json = MESH.replace("GATEWAY_ROUTES", gatewayRoutes).replace("ROUTES", routes);
        return MeshTranslator.translate(GoldenTest.view(JsonMapper.builder().build().readTree(json)), new ProxyId("m", kind, name));
    }

    /** The example: a catch-all of priority 0 before a /chapter route of priority 5, for Envoy and gRPC clients. */
    @Test
    void aCatchAllOfHigherPriorityShadowsALongerPrefix() {
        String routes = route("catch-all", "0", "{\"prefix\": \"/\"}") + ", " + route("chapter", "5", "{\"prefix\": \"/chapter\"}");
        String note = "virtual host svc.local: route 'chapter' is shadowed by route 'catch-all', which comes before it and"
                + " matches every request it matches, so it is never taken; to have it taken, give it a lower priority"
                + " number than 'catch-all' or narrow that route's match";
        assertThat(translate(ProxyId.Kind.SIDECAR, "client", routes, "").notes()).containsExactly(
                "route configuration rds_egress_http_8080, " + note, "route configuration rds_egress_http_9090, " + note);
        assertThat(translate(ProxyId.Kind.GRPC_CLIENT, "client", routes, "").notes()).containsExactly(
                "route configuration svc.local:8080, " + note, "route configuration svc.local:9090, " + note);
    }

    /** The same prefix and headers twice: the second (by name) is never taken. Routes in the usual order are not reported. */
    @Test
    void theSameMatchTwiceShadowsTheSecondAndTheUsualOrderShadowsNothing() {
        String twice = route("a-beta", null, "{\"prefix\": \"/\", \"headers\": [{\"name\": \"x-beta\"}]}") + ", "
                + route("b-beta", null, "{\"prefix\": \"/\", \"headers\": [{\"name\": \"x-beta\"}]}");
        assertThat(translate(ProxyId.Kind.SIDECAR, "client", twice, "").notes()).hasSize(2)
                .allMatch(note -> note.contains("route 'b-beta' is shadowed by route 'a-beta'"));

        String usual = route("root", null, "{\"prefix\": \"/\"}") + ", "
                + route("chapter", null, "{\"prefix\": \"/chapter\"}") + ", "
                + route("chapter-beta", null, "{\"prefix\": \"/chapter\", \"headers\": [{\"name\": \"x-beta\"}]}") + ", "
                + route("exact", null, "{\"path\": {\"exact\": \"/chapter\"}}") + ", "
                + route("regex", null, "{\"path\": {\"regex\": \"/v[0-9]+/.*\"}}") + ", "
                + route("post", "1", "{\"prefix\": \"/\", \"method\": \"POST\"}") + ", "
                + route("not-free", "2", "{\"prefix\": \"/\", \"headers\": [{\"name\": \"x-tier\", \"invert\": true,"
                        + " \"match\": {\"exact\": \"free\"}}]}");
        assertThat(translate(ProxyId.Kind.SIDECAR, "client", usual, "").notes()).isEmpty();
        assertThat(translate(ProxyId.Kind.GRPC_CLIENT, "client", usual, "").notes()).isEmpty();
    }

    /** A route matching one port is only in that port's route configuration, so it shadows only there. */
    @Test
    void aRouteOfOnePortShadowsOnlyOnThatPort() {
        String routes = route("only-9090", "0", "{\"prefix\": \"/\", \"port\": 9090}") + ", "
                + route("chapter", "1", "{\"prefix\": \"/chapter\"}");
        assertThat(translate(ProxyId.Kind.SIDECAR, "client", routes, "").notes()).singleElement().asString()
                .startsWith("route configuration rds_egress_http_9090, virtual host svc.local: route 'chapter' is"
                        + " shadowed by route 'only-9090'");
    }

    /** A gateway route of a higher priority and a shorter prefix shadows a longer one, named with their target's route. */
    @Test
    void aGatewayRouteIsShadowedTheSameWay() {
        String routes = route("all", null, "{\"prefix\": \"/\"}");
        String gatewayRoutes = gatewayRoute("root", "0", "/") + ", " + gatewayRoute("chapter", "1", "/chapter/");
        assertThat(translate(ProxyId.Kind.GATEWAY, "gw", routes, gatewayRoutes).notes()).containsExactly(
                "route configuration rds_ingress_http_8443, virtual host *: route 'chapter/all' is shadowed by route"
                        + " 'root/all', which comes before it and matches every request it matches, so it is never taken;"
                        + " to have it taken, give it a lower priority number than 'root/all' or narrow that route's match");
        String inOrder = gatewayRoute("root", "1", "/") + ", " + gatewayRoute("chapter", "1", "/chapter/");
        assertThat(translate(ProxyId.Kind.GATEWAY, "gw", routes, inOrder).notes()).isEmpty();
    }

    /**
     * A TCP route matches nothing but its port, and Envoy's TCP proxy sends every connection to the first route's
     * targets: the routes after it were dropped silently, and are now noted. The service graph's view (ofRouter) names
     * the same routes as the notes, for HTTP and TCP routers alike.
     */
    @Test
    void tcpRoutesAfterTheFirstAreShadowedAndTheGraphSeesWhatProxiesSee() {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "db.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 5432, "protocol": "tcp"}}],
                         "serviceDiscovery": {"dns": {"hostname": "a.local"}}}},
                 "virtualServices": {"db.local": {"provider": {"virtualRouter": {"virtualRouterName": "db"}}}},
                 "virtualRouters": {"db": {"listeners": [{"portMapping": {"port": 5432, "protocol": "tcp"}}]}},
                 "routes": {"db": {
                   "primary": {"priority": 0, "tcpRoute": {"action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}},
                   "replica": {"priority": 1, "tcpRoute": {"action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}}}}}
                """;
        MeshView tcp = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        assertThat(MeshTranslator.translate(tcp, new ProxyId("m", ProxyId.Kind.SIDECAR, "client")).notes()).containsExactly(
                "TCP port 5432, virtual service db.local: route 'replica' is shadowed by route 'primary', which comes"
                        + " before it and takes every connection, so it is never taken; Envoy's TCP proxy tells no"
                        + " connections on one port apart, so put both routes' targets in one route's weightedTargets");
        assertThat(RouteShadowing.ofRouter(tcp, "db")).containsExactly(java.util.Map.entry("replica", "primary"));
        assertThat(RouteShadowing.ofRouter(tcp, "nowhere")).isEmpty();

        String routes = route("catch-all", "0", "{\"prefix\": \"/\"}") + ", " + route("chapter", "5", "{\"prefix\": \"/chapter\"}")
                + ", " + route("beta", "5", "{\"prefix\": \"/\", \"port\": 9090, \"headers\": [{\"name\": \"x-beta\"}]}");
        MeshView http = GoldenTest.view(JsonMapper.builder().build().readTree(
                MESH.replace("GATEWAY_ROUTES", "").replace("ROUTES", routes)));
        assertThat(RouteShadowing.ofRouter(http, "router")).containsExactly(
                java.util.Map.entry("beta", "catch-all"), java.util.Map.entry("chapter", "catch-all"));
    }

    @Test
    void paths() {
        assertThat(covers(prefix("/"), prefix("/chapter"))).isTrue();
        assertThat(covers(prefix("/chapter"), prefix("/"))).isFalse();
        assertThat(covers(prefix("/chapter"), prefix("/chapters"))).as("a prefix is not a path segment").isTrue();
        assertThat(covers(prefix("/chapter/"), prefix("/chapter"))).isFalse();
        assertThat(covers(prefix("/chapter"), exact("/chapter/1"))).isTrue();
        assertThat(covers(exact("/chapter"), prefix("/chapter"))).isFalse();
        assertThat(covers(exact("/chapter"), exact("/chapter"))).isTrue();
        assertThat(covers(exact("/chapter"), exact("/Chapter"))).isFalse();
        assertThat(covers(prefix(""), regex("/v[0-9]+"))).as("an empty prefix matches every path").isTrue();
    }

    /** A regex is a superset only when it matches everything, or of the very same regex. */
    @Test
    void regexesAreNeverGuessed() {
        assertThat(covers(prefix("/"), regex("/v[0-9]+/.*"))).isFalse();
        assertThat(covers(regex("/api/.*"), prefix("/api/"))).isFalse();
        assertThat(covers(regex("/api/.*"), exact("/api/x"))).as("true, but not proven without a regex engine").isFalse();
        assertThat(covers(regex(".*"), prefix("/api/"))).isTrue();
        assertThat(covers(regex("^.*$"), regex("/v[0-9]+"))).isTrue();
        assertThat(covers(regex("/v[0-9]+"), regex("/v[0-9]+"))).isTrue();
        assertThat(covers(regex("/v[0-9]+"), regex("/v[0-9]*"))).isFalse();
        assertThat(covers(prefix("/").addHeaders(header("x-id").setStringMatch(StringMatcher.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex("[0-9]+")))),
                prefix("/").addHeaders(header("x-id").setStringMatch(StringMatcher.newBuilder().setExact("42"))))).isFalse();
    }

    @Test
    void headers() {
        RouteMatch.Builder none = prefix("/");
        RouteMatch.Builder present = prefix("/").addHeaders(header("x-user").setPresentMatch(true));
        RouteMatch.Builder exactA = prefix("/").addHeaders(header("x-user").setStringMatch(string("a")));
        assertThat(covers(none, exactA)).as("fewer conditions").isTrue();
        assertThat(covers(exactA, none)).isFalse();
        assertThat(covers(present, exactA)).isTrue();
        assertThat(covers(exactA, present)).isFalse();
        assertThat(covers(prefix("/").addHeaders(header("X-User").setStringMatch(string("a"))), exactA))
                .as("header names compare without case").isTrue();
        assertThat(covers(prefix("/").addHeaders(header("x-other").setPresentMatch(true)), exactA)).isFalse();
        assertThat(covers(prefix("/").addHeaders(header("x-user").setStringMatch(StringMatcher.newBuilder().setPrefix("ab"))),
                prefix("/").addHeaders(header("x-user").setStringMatch(StringMatcher.newBuilder().setSuffix("ab"))))).isFalse();
        assertThat(covers(prefix("/").addHeaders(header("x-user").setStringMatch(StringMatcher.newBuilder().setPrefix("ab"))),
                prefix("/").addHeaders(header("x-user").setStringMatch(StringMatcher.newBuilder().setPrefix("abc"))))).isTrue();
        assertThat(covers(prefix("/").addHeaders(header("x-user").setStringMatch(StringMatcher.newBuilder()
                .setExact("a").setIgnoreCase(true))), exactA)).as("not modelled").isFalse();
    }

    /**
     * Envoy's header_utility.cc: a missing header satisfies only an inverted present match; an inverted value match
     * needs the header and a value outside its set.
     */
    @Test
    void presenceAndInversion() {
        RouteMatch.Builder none = prefix("/");
        RouteMatch.Builder absent = prefix("/").addHeaders(header("x-canary").setPresentMatch(true).setInvertMatch(true));
        RouteMatch.Builder present = prefix("/").addHeaders(header("x-canary").setPresentMatch(true));
        RouteMatch.Builder notFree = prefix("/").addHeaders(header("x-canary").setStringMatch(string("free")).setInvertMatch(true));
        RouteMatch.Builder free = prefix("/").addHeaders(header("x-canary").setStringMatch(string("free")));
        RouteMatch.Builder premium = prefix("/").addHeaders(header("x-canary").setStringMatch(string("premium")));
        RouteMatch.Builder notF = prefix("/").addHeaders(header("x-canary").setInvertMatch(true)
                .setStringMatch(StringMatcher.newBuilder().setPrefix("f")));
        assertThat(covers(absent, none)).isFalse();
        assertThat(covers(absent, absent)).isTrue();
        assertThat(covers(absent, present)).isFalse();
        assertThat(covers(present, absent)).isFalse();
        assertThat(covers(absent, premium)).isFalse();
        assertThat(covers(notFree, premium)).as("premium is never free").isTrue();
        assertThat(covers(notFree, free)).isFalse();
        assertThat(covers(notFree, notFree)).isTrue();
        assertThat(covers(notFree, notF)).as("what does not start with f is not free").isTrue();
        assertThat(covers(notF, notFree)).as("fa is not free but starts with f").isFalse();
        assertThat(covers(notFree, none)).as("a missing header fails an inverted exact match").isFalse();
        assertThat(covers(notFree, absent)).isFalse();
        assertThat(covers(present, notFree)).as("an inverted exact match needs the header").isTrue();
        assertThat(covers(free, notFree)).isFalse();
        assertThat(covers(notF, free)).isFalse();
    }

    @Test
    void rangesAndTheOlderExactField() {
        RouteMatch.Builder hundred = prefix("/").addHeaders(header("x-v").setRangeMatch(Int64Range.newBuilder().setStart(0).setEnd(100)));
        assertThat(covers(hundred, prefix("/").addHeaders(header("x-v").setRangeMatch(Int64Range.newBuilder().setStart(10).setEnd(20))))).isTrue();
        assertThat(covers(hundred, prefix("/").addHeaders(header("x-v").setRangeMatch(Int64Range.newBuilder().setStart(10).setEnd(200))))).isFalse();
        assertThat(covers(hundred, prefix("/").addHeaders(header("x-v").setStringMatch(string("42"))))).isTrue();
        assertThat(covers(hundred, prefix("/").addHeaders(header("x-v").setStringMatch(string("100"))))).isFalse();
        assertThat(covers(hundred, prefix("/").addHeaders(header("x-v").setStringMatch(string("+42")))))
                .as("read as 42 by Envoy, not proven here").isFalse();
        RouteMatch.Builder notInRange = prefix("/").addHeaders(header("x-v").setInvertMatch(true)
                .setRangeMatch(Int64Range.newBuilder().setStart(0).setEnd(100)));
        assertThat(covers(notInRange, prefix("/").addHeaders(header("x-v").setStringMatch(string("v2"))))).isTrue();
        assertThat(covers(notInRange, prefix("/").addHeaders(header("x-v").setStringMatch(string(" 42"))))).isFalse();
        assertThat(covers(notInRange, prefix("/").addHeaders(header("x-v").setStringMatch(string("420"))))).isTrue();
        @SuppressWarnings("deprecation")
        RouteMatch.Builder legacyEmpty = prefix("/").addHeaders(header("x-v").setExactMatch(""));
        assertThat(covers(legacyEmpty, prefix("/").addHeaders(header("x-v").setStringMatch(string("v2")))))
                .as("exact_match \"\" accepts any value").isTrue();
    }

    /** The method and scheme are the :method and :scheme pseudo-headers' exact matches. */
    @Test
    void methodAndScheme() {
        RouteMatch.Builder get = prefix("/").addHeaders(header(":method").setStringMatch(string("GET")));
        RouteMatch.Builder post = prefix("/").addHeaders(header(":method").setStringMatch(string("POST")));
        assertThat(covers(prefix("/"), get)).isTrue();
        assertThat(covers(get, prefix("/"))).isFalse();
        assertThat(covers(get, post)).isFalse();
        assertThat(covers(get, prefix("/x").addHeaders(header(":method").setStringMatch(string("GET")))
                .addHeaders(header(":scheme").setStringMatch(string("https"))))).isTrue();
    }

    @Test
    void queryParameters() {
        RouteMatch.Builder present = prefix("/").addQueryParameters(QueryParameterMatcher.newBuilder().setName("beta").setPresentMatch(true));
        RouteMatch.Builder one = prefix("/").addQueryParameters(QueryParameterMatcher.newBuilder().setName("beta").setStringMatch(string("1")));
        assertThat(covers(present, one)).isTrue();
        assertThat(covers(one, present)).isFalse();
        assertThat(covers(present, prefix("/"))).isFalse();
        assertThat(covers(prefix("/"), one)).isTrue();
        assertThat(covers(present, prefix("/").addQueryParameters(QueryParameterMatcher.newBuilder().setName("Beta")
                .setPresentMatch(true)))).as("query parameter names keep their case").isFalse();
    }

    /** gRPC service and method become a prefix or path, metadata headers: a service's prefix covers its methods. */
    @Test
    void grpcServiceAndMethod() {
        assertThat(covers(prefix("/orders.Orders/"), exact("/orders.Orders/Get"))).isTrue();
        assertThat(covers(prefix("/orders.Orders/"), prefix("/orders.OrdersV2/"))).isFalse();
        assertThat(covers(exact("/orders.Orders/Get"), exact("/orders.Orders/List"))).isFalse();
    }

    @Test
    void whatIsNotModelledIsNeverReported() {
        assertThat(covers(prefix("/").setCaseSensitive(BoolValue.of(false)), prefix("/x"))).isFalse();
        assertThat(covers(prefix("/"), prefix("/x").setCaseSensitive(BoolValue.of(false)))).isFalse();
        assertThat(covers(prefix("/").setRuntimeFraction(RuntimeFractionalPercent.getDefaultInstance()), prefix("/x"))).isFalse();
        assertThat(covers(prefix("/"), RouteMatch.newBuilder().setPathSeparatedPrefix("/x"))).isFalse();
        assertThat(RouteShadowing.shadowed(io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder()
                .addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder().setName("a").setMatch(prefix("/")))
                .addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder().setName("b").setMatch(prefix("/x")))
                .addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder().setName("c").setMatch(regex("[a-z]+")))
                .build())).containsExactly(new RouteShadowing.Shadow("b", "a"));
    }

    private static boolean covers(RouteMatch.Builder earlier, RouteMatch.Builder later) {
        return RouteShadowing.covers(earlier.build(), later.build());
    }

    private static RouteMatch.Builder prefix(String prefix) {
        return RouteMatch.newBuilder().setPrefix(prefix);
    }

    private static RouteMatch.Builder exact(String path) {
        return RouteMatch.newBuilder().setPath(path);
    }

    private static RouteMatch.Builder regex(String regex) {
        return RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex));
    }

    private static HeaderMatcher.Builder header(String name) {
        return HeaderMatcher.newBuilder().setName(name);
    }

    private static StringMatcher string(String exact) {
        return StringMatcher.newBuilder().setExact(exact).build();
    }
}
