package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway route's rewrite values reach Envoy as RE2 rewrite strings (regex_rewrite.substitution), where a
 * backslash starts a capture group reference: user text must arrive there as a literal.
 */
class RegexRewriteTest {

    private static final ProxyId EDGE = new ProxyId("m", ProxyId.Kind.GATEWAY, "edge");

    /** A prefix rewrite value and an exact path rewrite holding backslashes are sent as literals. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'prefix': {'value': '/new\\\\1/'}} | /new\\\\1/",
        "{'path': {'exact': '/a\\\\b'}} | /a\\\\b"})
    void backslashesInRewriteValuesAreLiterals(String rewrite, String substitution) {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {"orders": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                                             "serviceDiscovery": {"dns": {"hostname": "orders.internal"}}}},
                 "virtualServices": {"orders.local": {"provider": {"virtualNode": {"virtualNodeName": "orders"}}}},
                 "virtualGateways": {"edge": {"listeners": [{"portMapping": {"port": 8443, "protocol": "http"}}]}},
                 "gatewayRoutes": {"edge": {"a": {"httpRoute": {"match": {"prefix": "/old"},
                   "action": {"target": {"virtualService": {"virtualServiceName": "orders.local"}},
                              "rewrite": %s}}}}}}
                """.formatted(rewrite.replace('\'', '"'));
        ProxyResources resources = MeshTranslator.translate(GoldenTest.view(JsonMapper.builder().build().readTree(json)), EDGE);
        RouteAction action = resources.routes().get(0).getVirtualHosts(0).getRoutes(0).getRoute();
        assertThat(action.getRegexRewrite().getSubstitution()).isEqualTo(substitution);
        assertThat(EnvoyValidator.validate(resources)).isEmpty();
    }

    /** RE2's Rewrite (re2.cc): \N needs group N in the pattern, any other backslash is an invalid rewrite. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "^/old | /new\\1/ | names capture group \\1 of a pattern with 0 capture groups",
        "^/(old) | /new\\2/ | names capture group \\2 of a pattern with 1 capture groups",
        "^/old | /a\\b | has a backslash RE2 reads as an invalid rewrite pattern",
        "^/old | /a\\ | has a backslash RE2 reads as an invalid rewrite pattern"})
    void substitutionsRe2CannotApplyAreReported(String pattern, String substitution, String problem) {
        assertThat(EnvoyValidator.validate(rewrite(pattern, substitution))).containsExactly(
                "RouteConfiguration.virtual_hosts[0].routes[0].route.regex_rewrite.substitution: '" + substitution
                        + "' " + problem + (problem.startsWith("has") ? " (write '\\\\' for a backslash)" : ", so RE2 rewrites nothing"));
    }

    @Test
    void groupsThePatternHasAndEscapedBackslashesPass() {
        assertThat(EnvoyValidator.validate(rewrite("^/(old)/(v1)", "/new/\\2/\\1\\\\x\\0"))).isEmpty();
    }

    private static RouteConfiguration rewrite(String pattern, String substitution) {
        return RouteConfiguration.newBuilder().setName("r").addVirtualHosts(VirtualHost.newBuilder().setName("vh")
                .addDomains("a.local").addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster("c").setRegexRewrite(RegexMatchAndSubstitute
                                .newBuilder().setPattern(RegexMatcher.newBuilder().setRegex(pattern))
                                .setSubstitution(substitution))))).build();
    }
}
