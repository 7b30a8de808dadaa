package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.Backend;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import tools.jackson.databind.JsonNode;

/**
 * Authorization policies through the API (create, replace, read, list, delete; bad input refused
 * naming the member), and what a proxy receives: with mTLS STRICT, RBAC that admits only the nodes
 * listing its service as a backend, and a DENY policy's rules, gone again when the policy is deleted.
 */
class AuthorizationPolicyTest extends ServerTest {

    private static final String DENY_ADMIN = "{\"targets\":{\"virtualNodes\":[\"api\"]},\"action\":\"DENY\","
            + "\"rules\":[{\"to\":{\"prefixes\":[\"/admin\"]}}]}";

    @Autowired
    XdsServer xds;

    private String mesh;

    private void meshWithCallers() {
        mesh = uniqueName("authz");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("api").spec(dev.meshplane.controlplane.Fixtures.node("api.local")));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("api.local")
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName("api")))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("caller").spec(VirtualNodeSpec.builder()
                .backends(Backend.builder().virtualService(v -> v.virtualServiceName("api.local")).build()).build()));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("stranger").spec(VirtualNodeSpec.builder().build()));
    }

    @Test
    void policiesAreCreatedReplacedListedAndDeleted() throws Exception {
        meshWithCallers();
        String path = "/v1/meshes/" + mesh + "/authorizationPolicies/no-admin";
        JsonNode created = json(send("PUT", path, DENY_ADMIN), 200);
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(created.at("/spec/action").asString()).isEqualTo("DENY");
        JsonNode replaced = json(send("PUT", path, DENY_ADMIN.replace("/admin", "/internal")), 200);
        assertThat(replaced.get("version").asLong()).isEqualTo(2);
        assertThat(json(send("GET", path, null), 200).at("/spec/rules/0/to/prefixes/0").asString()).isEqualTo("/internal");
        assertThat(json(send("GET", "/v1/meshes/" + mesh + "/authorizationPolicies", null), 200)
                .get("authorizationPolicies")).hasSize(1);
        assertThat(json(send("DELETE", path, null), 200).get("policyName").asString()).isEqualTo("no-admin");
        assertThat(send("GET", path, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", path, null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/v1/meshes/nowhere-" + mesh + "/authorizationPolicies/x", DENY_ADMIN).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no targets | {'action':'DENY','rules':[{}]} | targets",
        "bad action | {'targets':{'virtualNodes':['api']},'action':'MAYBE','rules':[{}]} | action",
        "no rules | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[]} | rules",
        "two header matches | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'headers':[{'name':'x','exact':'a','prefix':'b'}]}}]} | rules[0].to.headers[0]: exactly one of",
        "bad regex | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'headers':[{'name':'x','regex':'(?=a)'}]}}]} | rules[0].to.headers[0].regex",
        "regex over envoy's limit | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'headers':[{'name':'x','regex':'[a-z]{1000}'}]}}]} | rules[0].to.headers[0].regex: RE2 program size 1004 is over Envoy's limit of 1000",
        "regex longer than app mesh's | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'headers':[{'name':'x','regex':'(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))'}]}}]} | rules[0].to.headers[0].regex",
        "bad cidr | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['10.0.0.0/33']}}]} | rules[0].from.ipBlocks[0]",
        "not a cidr | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['example.com']}}]} | rules[0].from.ipBlocks[0]",
        "issue 12 example 12, BSD shorthand | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['10.0.0.0/8','10/8']}}]} | rules[0].from.ipBlocks[1]: '10' is not an IP address",
        "short dotted address | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['10.1/16']}}]} | rules[0].from.ipBlocks[0]: '10.1' is not an IP address",
        "leading zero octet | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['010.0.0.0/8']}}]} | rules[0].from.ipBlocks[0]: '010.0.0.0' is not an IP address",
        "signed length | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['10.0.0.0/+8']}}]} | rules[0].from.ipBlocks[0]: '10.0.0.0/+8': the prefix length must be a number from 0 to 32",
        "ipv6 length | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['fd00::/129']}}]} | rules[0].from.ipBlocks[0]: 'fd00::/129': the prefix length must be a number from 0 to 128",
        "zone id | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'from':{'ipBlocks':['fe80::1%eth0/64']}}]} | rules[0].from.ipBlocks[0]: 'fe80::1%eth0' carries a zone id",
        "bad method | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'to':{'methods':['get']}}]} | methods",
        "relative path | {'targets':{'virtualNodes':['api']},'action':'ALLOW','rules':[{'to':{'paths':['admin']}}]} | paths",
        "path with a query, which Envoy's url_path never sees | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'paths':['/admin?debug=1']}}]} | rules[0].to.paths[0]: '/admin?debug=1' holds a '?'",
        "prefix with a fragment | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'prefixes':['/internal#']}}]} | rules[0].to.prefixes[0]: '/internal#' holds a '#'",
        "empty header prefix | {'targets':{'virtualNodes':['api']},'action':'DENY','rules':[{'to':{'headers':[{'name':'x-user','prefix':''}]}}]} | rules[0].to.headers[0].prefix: must not be empty",
    })
    void badPoliciesAreRefusedNamingTheMember(String name, String body, String member) throws Exception {
        meshWithCallers();
        HttpResponse<String> response = send("PUT", "/v1/meshes/" + mesh + "/authorizationPolicies/p", body.replace('\'', '"'));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(member);
        assertThat(send("GET", "/v1/meshes/" + mesh + "/authorizationPolicies/p", null).statusCode())
                .as("nothing stored").isEqualTo(404);
        assertThat(send("PUT", "/v1/meshes/" + mesh + "/authorizationPolicies/bad%20name!", DENY_ADMIN).statusCode()).isEqualTo(400);
    }

    @Test
    void theProxyAdmitsOnlyItsCallersAsTheyChangeAndAppliesPoliciesUntilTheyAreDeleted() throws Exception {
        meshWithCallers();
        json(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}"), 200);
        json(send("PUT", "/v1/meshes/" + mesh + "/authorizationPolicies/no-admin", DENY_ADMIN), 200);
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/api"))
                    .setTypeUrl(AdsStream.LDS).build());
            DiscoveryResponse first = ads.next(5000);
            assertThat(first).isNotNull();
            List<RBAC> rbac = ingressRbac(first);
            assertThat(rbac).hasSize(2);
            assertThat(rbac.get(0).getAction()).isEqualTo(RBAC.Action.ALLOW);
            assertThat(rbac.get(0).getPoliciesMap().get("meshplane-backends").toString())
                    .contains("spiffe://" + mesh + "/virtualNode/caller").doesNotContain("stranger");
            assertThat(rbac.get(1).getAction()).isEqualTo(RBAC.Action.DENY);
            assertThat(rbac.get(1).getPoliciesMap()).containsOnlyKeys("no-admin/0");
            assertThat(rbac.get(1).getPoliciesMap().get("no-admin/0").toString()).contains("/admin");
            ads.send(AdsStream.ack(first));

            json(send("DELETE", "/v1/meshes/" + mesh + "/authorizationPolicies/no-admin", null), 200);
            DiscoveryResponse second = ads.next(5000);
            assertThat(second).isNotNull();
            assertThat(ingressRbac(second)).as("only the backends gate is left").hasSize(1);
            ads.send(AdsStream.ack(second));

            // another node starts calling api: api's gate lets it in, without waiting for a resync
            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("stranger").spec(VirtualNodeSpec.builder()
                    .backends(Backend.builder().virtualService(v -> v.virtualServiceName("api.local")).build()).build()));
            DiscoveryResponse third = ads.next(5000);
            assertThat(third).as("api's listeners after a new caller appeared").isNotNull();
            assertThat(ingressRbac(third).get(0).getPoliciesMap().get("meshplane-backends").toString())
                    .contains("spiffe://" + mesh + "/virtualNode/caller", "spiffe://" + mesh + "/virtualNode/stranger");
        }
    }

    private static List<RBAC> ingressRbac(DiscoveryResponse listeners) throws Exception {
        Listener ingress = null;
        for (var any : listeners.getResourcesList()) {
            Listener listener = any.unpack(Listener.class);
            if (listener.getName().startsWith("lds_ingress")) {
                ingress = listener;
            }
        }
        assertThat(ingress).isNotNull();
        HttpConnectionManager manager = ingress.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        List<RBAC> rules = new java.util.ArrayList<>();
        for (HttpFilter filter : manager.getHttpFiltersList()) {
            if (filter.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
                rules.add(filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules());
            }
        }
        assertThat(manager.getHttpFiltersList().get(manager.getHttpFiltersCount() - 1).getName()).isEqualTo("envoy.filters.http.router");
        return rules;
    }
}
