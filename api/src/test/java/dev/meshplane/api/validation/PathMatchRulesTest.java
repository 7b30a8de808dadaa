package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateGatewayRouteRequest;
import dev.meshplane.api.model.CreateRouteRequest;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Envoy compares route prefixes, exact paths and RBAC url_path matchers with the request path after cutting its query
 * string and fragment (common/matchers.cc, PathMatcher::match): a value holding '?' or '#' matches no request, so it
 * is refused naming the member. An authorization policy's empty header prefix fails Envoy's StringMatcher PGV rule.
 */
class PathMatchRulesTest {

    private static final String ROUTE = "{'routeName':'r','spec':{'%s':{'match':%s,"
            + "'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}}";
    private static final String GATEWAY_ROUTE = "{'gatewayRouteName':'r','spec':{'httpRoute':{'match':%s,"
            + "'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}}";
    private static final String POLICY = "{'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':%s}]}";

    private static <T extends Record> T decode(String json, Class<T> type) {
        return RequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "httpRoute | {'prefix':'/search?q='} | spec.httpRoute.match.prefix: '/search?q=' holds a '?': Envoy compares paths without the request's query string and fragment",
        "http2Route | {'path':{'exact':'/help#top'}} | spec.http2Route.match.path.exact: '/help#top' holds a '#'",
        "httpRoute | {'path':{'exact':'/a#b?c'}} | spec.httpRoute.match.path.exact: '/a#b?c' holds a '#'"})
    void routePathsNoRequestCanHaveAreRefused(String kind, String match, String message) {
        assertThatThrownBy(() -> decode(ROUTE.formatted(kind, match), CreateRouteRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith(message);
    }

    @Test
    void gatewayRoutePathsAreCheckedAlike() {
        assertThatThrownBy(() -> decode(GATEWAY_ROUTE.formatted("{'prefix':'/v1?beta'}"), CreateGatewayRouteRequest.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.httpRoute.match.prefix: '/v1?beta' holds a '?'")
                .hasMessageContaining("match.queryParameters");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'paths':['/ok','/admin?debug=1']} | rules[0].to.paths[1]: '/admin?debug=1' holds a '?'",
        "{'prefixes':['/internal#']} | rules[0].to.prefixes[0]: '/internal#' holds a '#'",
        "{'headers':[{'name':'x-user','prefix':''}]} | rules[0].to.headers[0].prefix: must not be empty"})
    void policyPathsAndPrefixesEnvoyCannotMatchAreRefused(String to, String message) {
        AuthorizationPolicySpec spec = decode(POLICY.formatted(to), AuthorizationPolicySpec.class);
        assertThatThrownBy(() -> AuthorizationPolicyRules.check(spec)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void pathsWithoutQueryOrFragmentAreAccepted() {
        assertThat(decode(ROUTE.formatted("httpRoute", "{'prefix':'/search','queryParameters':[{'name':'q'}]}"),
                CreateRouteRequest.class).spec().httpRoute().match().prefix()).isEqualTo("/search");
        assertThat(decode(GATEWAY_ROUTE.formatted("{'path':{'exact':'/a;b=c/%20d'}}"), CreateGatewayRouteRequest.class))
                .isNotNull();
        AuthorizationPolicyRules.check(decode(POLICY.formatted("{'paths':['/admin'],'prefixes':['/internal/'],"
                + "'headers':[{'name':'x-user','prefix':'a'}]}"), AuthorizationPolicySpec.class));
    }
}
