package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.NotFoundException;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/apply} against the real server and its PostgreSQL: the seed's mesh applied as one
 * document and read back through the AWS SDK; an apply whose last resource is refused stores nothing;
 * a dry run stores nothing and its plan is exactly what the real apply then does; prune stays within the
 * meshes named; two applies racing on one resource: one wins, the other is told (409); bad documents are
 * refused naming the resource and the member.
 */
class ApplyTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    DataSource dataSource;

    HttpResponse<String> apply(Object document, String query) throws Exception {
        return send("POST", "/v1/apply" + query, document.toString());
    }

    static ObjectNode document(JsonNode... resources) {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode list = document.putArray("resources");
        for (JsonNode resource : resources) {
            list.add(resource);
        }
        return document;
    }

    static ObjectNode resource(String kind, String mesh, String spec) {
        ObjectNode resource = JSON.createObjectNode().put("kind", kind).put("meshName", mesh);
        if (spec != null) {
            resource.set("spec", JSON.readTree(spec));
        }
        return resource;
    }

    static ObjectNode node(String mesh, String name, int port) {
        return resource("VirtualNode", mesh, """
                {"listeners":[{"portMapping":{"port":%d,"protocol":"http"}}],"serviceDiscovery":{"dns":{"hostname":"%s.local"}}}"""
                .formatted(port, name)).put("virtualNodeName", name);
    }

    static ObjectNode router(String mesh, String name) {
        return resource("VirtualRouter", mesh, """
                {"listeners":[{"portMapping":{"port":8080,"protocol":"http"}}]}""").put("virtualRouterName", name);
    }

    static ObjectNode route(String mesh, String router, String name, String targets) {
        return resource("Route", mesh, """
                {"httpRoute":{"match":{"prefix":"/"},"action":{"weightedTargets":[%s]}}}""".formatted(targets))
                .put("virtualRouterName", router).put("routeName", name);
    }

    static ObjectNode serviceByNode(String mesh, String name, String node) {
        return resource("VirtualService", mesh, """
                {"provider":{"virtualNode":{"virtualNodeName":"%s"}}}""".formatted(node)).put("virtualServiceName", name);
    }

    static ObjectNode mesh(String mesh) {
        return resource("Mesh", mesh, null);
    }

    /** The seed's MyLearning.com mesh (as {@link MyLearningMeshTest} builds it), listed dependents first. */
    static ObjectNode seed(String mesh) {
        List<JsonNode> resources = new ArrayList<>();
        for (String service : MyLearningMeshTest.SERVICES) {
            String provider = service.equals("user-service") ? "{\"virtualRouter\":{\"virtualRouterName\":\"user-service-router\"}}"
                    : "{\"virtualNode\":{\"virtualNodeName\":\"" + service + "-v1\"}}";
            resources.add(resource("VirtualService", mesh, "{\"provider\":" + provider + "}")
                    .put("virtualServiceName", service + ".mylearning.local"));
        }
        resources.add(resource("Route", mesh, """
                {"priority":10,"httpRoute":{"match":{"prefix":"/"},"action":{"weightedTargets":[
                 {"virtualNode":"user-service-v1","weight":90},{"virtualNode":"user-service-v2","weight":10}]},
                 "retryPolicy":{"maxRetries":3,"perRetryTimeout":{"unit":"ms","value":2000},
                  "httpRetryEvents":["server-error","gateway-error","client-error"]},
                 "timeout":{"perRequest":{"unit":"ms","value":5000}}}}""")
                .put("virtualRouterName", "user-service-router").put("routeName", "user-service-route"));
        resources.add(resource("Route", mesh, """
                {"priority":1,"httpRoute":{"match":{"prefix":"/api/recommendations",
                  "headers":[{"name":"x-user-segment","match":{"exact":"premium"}}]},
                 "action":{"weightedTargets":[{"virtualNode":"recommendation-service-ml-v1","weight":50},
                  {"virtualNode":"recommendation-service-ml-v2","weight":50}]},
                 "retryPolicy":{"maxRetries":2,"perRetryTimeout":{"unit":"ms","value":1000},"httpRetryEvents":["server-error"]}}}""")
                .put("virtualRouterName", "user-service-router").put("routeName", "user-service-ab-test"));
        resources.add(resource("Route", mesh, """
                {"priority":2,"httpRoute":{"match":{"prefix":"/api/recommendations"},
                 "action":{"weightedTargets":[{"virtualNode":"recommendation-service-standard","weight":100}]}}}""")
                .put("virtualRouterName", "user-service-router").put("routeName", "user-service-default"));
        resources.add(router(mesh, "user-service-router"));
        seedNodes().forEach((name, backends) -> {
            String service = name.replaceAll("-(v\\d|ml-v\\d|standard)$", "");
            String version = name.substring(service.length() + 1);
            StringBuilder list = new StringBuilder();
            for (String backend : backends) {
                list.append(list.isEmpty() ? "" : ",").append("{\"virtualService\":{\"virtualServiceName\":\"")
                        .append(backend).append(".mylearning.local\"}}");
            }
            resources.add(resource("VirtualNode", mesh, """
                    {"listeners":[{"portMapping":{"port":8080,"protocol":"http"},
                      "healthCheck":{"protocol":"http","path":"/health","healthyThreshold":2,"unhealthyThreshold":3,
                       "timeoutMillis":2000,"intervalMillis":5000},
                      "tls":{"mode":"STRICT","certificate":{"file":{"certificateChain":"/certs/%1$s/cert_chain.pem",
                       "privateKey":"/certs/%1$s/key.pem"}}}}],
                     "backends":[%2$s],
                     "serviceDiscovery":{"awsCloudMap":{"namespaceName":"mylearning.local","serviceName":"%1$s",
                      "attributes":[{"key":"version","value":"%3$s"}]}},
                     "logging":{"accessLog":{"file":{"path":"/dev/stdout"}}}}""".formatted(service, list, version))
                    .put("virtualNodeName", name));
        });
        resources.add(resource("Mesh", mesh, "{\"egressFilter\":{\"type\":\"DROP_ALL\"}}"));
        return document(resources.toArray(JsonNode[]::new));
    }

    /** The seed's virtual nodes and the services each calls. */
    static Map<String, String[]> seedNodes() {
        Map<String, String[]> nodes = new java.util.LinkedHashMap<>();
        nodes.put("user-service-v1", new String[] {"course-service", "notification-service"});
        nodes.put("user-service-v2", new String[] {"course-service", "notification-service"});
        nodes.put("course-service-v1", new String[] {"assessment-service"});
        nodes.put("assessment-service-v1", new String[] {"analytics-service"});
        nodes.put("notification-service-v1", new String[0]);
        nodes.put("analytics-service-v1", new String[0]);
        for (String variant : List.of("ml-v1", "ml-v2", "standard")) {
            nodes.put("recommendation-service-" + variant, new String[0]);
        }
        return nodes;
    }

    @Test
    void theSeedMeshAppliesInDependencyOrderAndReadsBackThroughTheSdk() throws Exception {
        String mesh = uniqueName("mylearning-prod-mesh");
        JsonNode result = json(apply(seed(mesh), ""), 200);

        assertThat(result.get("dryRun").asBoolean()).isFalse();
        List<String> order = new ArrayList<>();
        result.get("plan").forEach(entry -> {
            assertThat(entry.get("action").asString()).isEqualTo("created");
            assertThat(entry.get("versionAfter").asLong()).isEqualTo(1);
            order.add(entry.get("kind").asString());
        });
        assertThat(order).containsExactly("Mesh", "VirtualNode", "VirtualNode", "VirtualNode", "VirtualNode",
                "VirtualNode", "VirtualNode", "VirtualNode", "VirtualNode", "VirtualNode", "VirtualRouter", "Route",
                "Route", "Route", "VirtualService", "VirtualService", "VirtualService", "VirtualService", "VirtualService");

        seedNodes().forEach((name, backends) -> {
            String service = name.replaceAll("-(v\\d|ml-v\\d|standard)$", "");
            VirtualNodeSpec expected = MyLearningMeshTest.sidecar(service, name.substring(service.length() + 1), backends);
            assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName(name)).virtualNode().spec())
                    .as(name).isEqualTo(expected);
        });
        Map.of("user-service-route", MyLearningMeshTest.canary(), "user-service-ab-test", MyLearningMeshTest.premium(),
                "user-service-default", MyLearningMeshTest.standardRecommendations()).forEach((name, spec) ->
                assertThat(appMesh.describeRoute(r -> r.meshName(mesh).virtualRouterName("user-service-router")
                        .routeName(name)).route().spec()).as(name).isEqualTo(spec));
        assertThat(appMesh.describeVirtualService(r -> r.meshName(mesh).virtualServiceName("user-service.mylearning.local"))
                .virtualService().spec().provider().virtualRouter().virtualRouterName()).isEqualTo("user-service-router");

        JsonNode again = json(apply(seed(mesh), ""), 200);
        again.get("plan").forEach(entry -> {
            assertThat(entry.get("action").asString()).as(entry.toString()).isEqualTo("unchanged");
            assertThat(entry.get("versionBefore").asLong()).isEqualTo(1);
            assertThat(entry.get("versionAfter").asLong()).isEqualTo(1);
        });
    }

    @Test
    void anApplyWhoseLastResourceIsRefusedStoresNothing() throws Exception {
        // refused while decoding: nothing is even planned
        String mesh = uniqueName("last-bad");
        HttpResponse<String> refused = apply(document(mesh(mesh), node(mesh, "a", 8080), node(mesh, "bad", 70000)), "");
        assertThat(json(refused, 400).get("message").asString()).isEqualTo("resources[2] (virtual node 'bad' in mesh '"
                + mesh + "'): spec.listeners[0].portMapping.port: must be less than or equal to 65535, got 70000");
        assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertMeshAbsent(mesh);

        // refused by the store on the sixth route (the test server allows 5 per router): five were already written
        ObjectNode document = document(mesh(mesh), node(mesh, "a", 8080), router(mesh, "r"));
        for (int i = 1; i <= 6; i++) {
            ((ArrayNode) document.get("resources")).add(route(mesh, "r", "route-" + i,
                    "{\"virtualNode\":\"a\",\"weight\":1}"));
        }
        HttpResponse<String> overQuota = apply(document, "");
        assertThat(json(overQuota, 400).get("message").asString()).startsWith("resources[8] (route 'route-6' of virtual"
                + " router 'r' in mesh '" + mesh + "'): cannot create");
        assertThat(overQuota.headers().firstValue("x-amzn-ErrorType")).hasValue("LimitExceededException");
        assertMeshAbsent(mesh);
    }

    @Test
    void aDryRunStoresNothingAndItsPlanIsExactlyWhatTheApplyThenDoes() throws Exception {
        String mesh = uniqueName("dry");
        json(apply(document(mesh(mesh), node(mesh, "a", 8080), node(mesh, "b", 8080), node(mesh, "old", 8080),
                router(mesh, "r"), route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":100}"),
                serviceByNode(mesh, "s.local", "a")), ""), 200);

        ObjectNode desired = document(mesh(mesh),
                node(mesh, "a", 9090).set("tags", JSON.readTree("[{\"key\":\"team\",\"value\":\"web\"}]")),
                node(mesh, "b", 8080), node(mesh, "c", 8080), router(mesh, "r"),
                route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":50},{\"virtualNode\":\"c\",\"weight\":50}"),
                serviceByNode(mesh, "s.local", "a"));
        JsonNode dry = json(apply(desired, "?dryRun=true&prune=true"), 200);

        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("prune").asBoolean()).isTrue();
        JsonNode plan = dry.get("plan");
        assertThat(plan).hasSize(8);
        assertEntry(plan.get(0), "unchanged", 0, "Mesh", null, mesh, 1L, 1L);
        assertEntry(plan.get(1), "updated", 1, "VirtualNode", null, "a", 1L, 2L);
        assertThat(plan.get(1).get("changes")).isEqualTo(JSON.readTree("""
                [{"path":"spec.listeners[0].portMapping.port","oldValue":8080,"newValue":9090},
                 {"path":"tags.team","newValue":"web"}]"""));
        assertEntry(plan.get(2), "unchanged", 2, "VirtualNode", null, "b", 1L, 1L);
        assertEntry(plan.get(3), "created", 3, "VirtualNode", null, "c", null, 1L);
        assertEntry(plan.get(4), "unchanged", 4, "VirtualRouter", null, "r", 1L, 1L);
        assertEntry(plan.get(5), "updated", 5, "Route", "r", "rt", 1L, 2L);
        assertThat(plan.get(5).get("changes")).isEqualTo(JSON.readTree("""
                [{"path":"spec.httpRoute.action.weightedTargets[0].weight","oldValue":100,"newValue":50},
                 {"path":"spec.httpRoute.action.weightedTargets[1]","newValue":{"virtualNode":"c","weight":50}}]"""));
        assertEntry(plan.get(6), "unchanged", 6, "VirtualService", null, "s.local", 1L, 1L);
        assertEntry(plan.get(7), "deleted", null, "VirtualNode", null, "old", 1L, null);
        for (JsonNode entry : plan) {
            if (!entry.get("action").asString().equals("updated")) {
                assertThat(entry.get("changes")).as(entry.toString()).isEmpty();
            }
        }

        // nothing changed: versions, specs, tags, the new node and the pruned one
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().metadata()
                .version()).isEqualTo(1L);
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().spec()
                .listeners().get(0).portMapping().port()).isEqualTo(8080);
        assertThat(appMesh.listTagsForResource(r -> r.resourceArn(appMesh.describeVirtualNode(d -> d.meshName(mesh)
                .virtualNodeName("a")).virtualNode().metadata().arn())).tags()).isEmpty();
        assertThat(appMesh.describeRoute(r -> r.meshName(mesh).virtualRouterName("r").routeName("rt")).route().metadata()
                .version()).isEqualTo(1L);
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("old")).virtualNode()).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.describeVirtualNode(r -> r.meshName(mesh)
                .virtualNodeName("c"))).isInstanceOf(NotFoundException.class);

        // the real apply does exactly what the dry run said, entry for entry
        JsonNode real = json(apply(desired, "?prune=true"), 200);
        assertThat(real.get("dryRun").asBoolean()).isFalse();
        assertThat(real.get("plan")).isEqualTo(plan);
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().spec()
                .listeners().get(0).portMapping().port()).isEqualTo(9090);
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("c")).virtualNode().metadata()
                .version()).isEqualTo(1L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.describeVirtualNode(r -> r.meshName(mesh)
                .virtualNodeName("old"))).isInstanceOf(NotFoundException.class);
    }

    static ObjectNode policy(String mesh, String name, String action, String prefix) {
        return resource("AuthorizationPolicy", mesh, """
                {"targets":{"virtualNodes":["a"]},"action":"%s","rules":[{"to":{"prefixes":["%s"]}}]}"""
                .formatted(action, prefix)).put("policyName", name);
    }

    @Test
    void authorizationPoliciesArePlannedAndAppliedWithTheResources() throws Exception {
        String mesh = uniqueName("policies");
        JsonNode created = json(apply(document(policy(mesh, "deny-admin", "DENY", "/admin"), mesh(mesh),
                node(mesh, "a", 8080), policy(mesh, "old", "DENY", "/old")), ""), 200).get("plan");
        assertEntry(created.get(2), "created", 0, "AuthorizationPolicy", null, "deny-admin", null, 1L);
        assertEntry(created.get(3), "created", 3, "AuthorizationPolicy", null, "old", null, 1L);

        ObjectNode desired = document(mesh(mesh), node(mesh, "a", 8080), policy(mesh, "deny-admin", "DENY", "/internal"),
                policy(mesh, "allow-all", "ALLOW", "/"));
        JsonNode plan = json(apply(desired, "?dryRun=true&prune=true"), 200).get("plan");
        assertThat(plan).hasSize(5);
        assertEntry(plan.get(2), "updated", 2, "AuthorizationPolicy", null, "deny-admin", 1L, 2L);
        assertThat(plan.get(2).get("changes")).isEqualTo(JSON.readTree("""
                [{"path":"spec.rules[0].to.prefixes[0]","oldValue":"/admin","newValue":"/internal"}]"""));
        assertEntry(plan.get(3), "created", 3, "AuthorizationPolicy", null, "allow-all", null, 1L);
        assertEntry(plan.get(4), "deleted", null, "AuthorizationPolicy", null, "old", 1L, null);
        JsonNode unchanged = json(send("GET", "/v1/meshes/" + mesh + "/authorizationPolicies", null), 200);
        assertThat(unchanged.get("authorizationPolicies").findValuesAsString("policyName"))
                .containsExactly("deny-admin", "old");
        assertThat(unchanged.toString()).contains("/admin").doesNotContain("/internal");

        assertThat(json(apply(desired, "?prune=true"), 200).get("plan")).isEqualTo(plan);
        JsonNode applied = json(send("GET", "/v1/meshes/" + mesh + "/authorizationPolicies", null), 200);
        assertThat(applied.get("authorizationPolicies").findValuesAsString("policyName"))
                .containsExactly("allow-all", "deny-admin");

        HttpResponse<String> bad = apply(document(node(mesh, "a", 8081), resource("AuthorizationPolicy", mesh, """
                {"targets":{"virtualNodes":["a"]},"action":"DENY","rules":[{"from":{"ipBlocks":["10.0.0.0/33"]}}]}""")
                .put("policyName", "bad")), "");
        assertThat(json(bad, 400).get("message").asString()).isEqualTo("resources[1] (authorization policy 'bad' in mesh '"
                + mesh + "'): spec.rules[0].from.ipBlocks[0]: '10.0.0.0/33': the prefix length must be a number from 0 to 32, got '33'");
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().metadata()
                .version()).as("nothing applied").isEqualTo(1L);
    }

    @Test
    void pruneDeletesOnlyWithinTheMeshesNamed() throws Exception {
        String named = uniqueName("prune-a");
        String other = uniqueName("prune-b");
        json(apply(document(mesh(named), node(named, "x", 8080), node(named, "y", 8080), mesh(other),
                node(other, "z", 8080)), ""), 200);

        JsonNode plan = json(apply(document(node(named, "x", 8080)), "?prune=true"), 200).get("plan");

        assertThat(plan).hasSize(2);
        assertEntry(plan.get(0), "unchanged", 0, "VirtualNode", null, "x", 1L, 1L);
        assertEntry(plan.get(1), "deleted", null, "VirtualNode", null, "y", 1L, null);
        assertThat(appMesh.describeMesh(r -> r.meshName(named)).mesh()).as("a mesh named is never pruned").isNotNull();
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(other).virtualNodeName("z")).virtualNode()).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.describeVirtualNode(r -> r.meshName(named)
                .virtualNodeName("y"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aResourceNotAtTheVersionTheDocumentExpectsIsAConflictThatChangesNothing() throws Exception {
        String mesh = uniqueName("expects");
        json(apply(document(mesh(mesh), node(mesh, "a", 8080)), ""), 200);

        json(apply(document(node(mesh, "a", 8081).put("version", 1), node(mesh, "n1", 8080)), ""), 200);
        HttpResponse<String> late = apply(document(node(mesh, "n2", 8080), node(mesh, "a", 8082).put("version", 1)), "");

        assertThat(json(late, 409).get("message").asString()).isEqualTo("resources[1] (virtual node 'a' in mesh '" + mesh
                + "'): version: the document expects version 1, but it is at version 2; nothing was applied");
        assertThat(late.headers().firstValue("x-amzn-ErrorType")).hasValue("ConflictException");
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().spec()
                .listeners().get(0).portMapping().port()).isEqualTo(8081);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.describeVirtualNode(r -> r.meshName(mesh)
                .virtualNodeName("n2"))).isInstanceOf(NotFoundException.class);
    }

    /**
     * Two applies plan against version 1 of one node while the test holds the mesh's lock, so both have
     * planned before either writes; once it lets go, one applies and the other finds the node moved.
     */
    @Test
    void twoConcurrentAppliesOnOneResourceOneWinsTheOtherIsTold() throws Exception {
        String mesh = uniqueName("race");
        json(apply(document(mesh(mesh), node(mesh, "a", 8080)), ""), 200);

        List<CompletableFuture<HttpResponse<String>>> applies = new ArrayList<>();
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "select revision from mesh_revision where mesh_name = ? for update")) {
                lock.setString(1, mesh);
                lock.executeQuery().close();
            }
            for (int port : new int[] {9001, 9002}) {
                ObjectNode document = document(node(mesh, "a", port), node(mesh, "extra-" + port, 8080));
                applies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return apply(document, "");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            awaitWaitingOnLocks(holder, 2);
            holder.commit();
        }
        List<HttpResponse<String>> responses = applies.stream().map(CompletableFuture::join).toList();

        List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).sorted().toList();
        assertThat(statuses).as(responses.stream().map(HttpResponse::body).toList().toString()).containsExactly(200, 409);
        HttpResponse<String> loser = responses.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        assertThat(loser.headers().firstValue("x-amzn-ErrorType")).hasValue("ConflictException");
        assertThat(json(loser, 409).get("message").asString()).startsWith("resources[0] (virtual node 'a' in mesh '"
                + mesh + "'): changed while this apply was planned (version 1, now 2)");
        int winner = responses.get(0).statusCode() == 200 ? 9001 : 9002;
        int lost = winner == 9001 ? 9002 : 9001;
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().spec()
                .listeners().get(0).portMapping().port()).isEqualTo(winner);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.describeVirtualNode(r -> r.meshName(mesh)
                .virtualNodeName("extra-" + lost))).isInstanceOf(NotFoundException.class);
    }

    /**
     * A tag change does not change a resource's version, so a TagResource between an apply's plan and its write went
     * unseen: the apply wrote the tags it planned from the tags it had read, and the document's "exactly these tags"
     * silently became these plus the other writer's. The test holds the mesh's lock while the apply plans, and
     * changes a tag in that transaction, as a TagResource that got there first would.
     */
    @Test
    void aTagChangeBetweenPlanAndWriteIsAConflict() throws Exception {
        String mesh = uniqueName("tag-race");
        json(apply(document(mesh(mesh), node(mesh, "a", 8080)), ""), 200);
        ObjectNode tagged = node(mesh, "a", 8080);
        tagged.putArray("tags").addObject().put("key", "team").put("value", "web");

        CompletableFuture<HttpResponse<String>> applied;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "select revision from mesh_revision where mesh_name = ? for update")) {
                lock.setString(1, mesh);
                lock.executeQuery().close();
            }
            applied = CompletableFuture.supplyAsync(() -> {
                try {
                    return apply(document(tagged), "");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitWaitingOnLocks(holder, 1);
            try (PreparedStatement tag = holder.prepareStatement("insert into resource_tag (resource_id, tag_key, tag_value)"
                    + " select id, 'owner', 'ops' from resource where mesh_name = ? and kind = 'VIRTUAL_NODE' and name = 'a'")) {
                tag.setString(1, mesh);
                assertThat(tag.executeUpdate()).isEqualTo(1);
            }
            holder.commit();
        }
        HttpResponse<String> response = applied.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(json(response, 409).get("message").asString()).isEqualTo("resources[0] (virtual node 'a' in mesh '"
                + mesh + "'): its tags changed while this apply was planned: another writer got there first; nothing was"
                + " applied, plan again");
        assertThat(appMesh.listTagsForResource(r -> r.resourceArn(appMesh.describeVirtualNode(d -> d.meshName(mesh)
                .virtualNodeName("a")).virtualNode().metadata().arn())).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("owner=ops");
    }

    /**
     * What depends on a target's listeners is checked once the whole document is written: a node's second listener
     * and its route's new target port in one document apply (the node is written first, while the stored route still
     * has no port), and a document that leaves the route without its target's listener is refused naming the route.
     */
    @Test
    void targetPortsAreCheckedOnceTheWholeDocumentIsWritten() throws Exception {
        String mesh = uniqueName("ports");
        json(apply(document(mesh(mesh), node(mesh, "a", 8080), router(mesh, "r"),
                route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1}")), ""), 200);
        ObjectNode twoListeners = node(mesh, "a", 8080);
        ((ArrayNode) twoListeners.get("spec").get("listeners")).addObject().putObject("portMapping")
                .put("port", 8081).put("protocol", "http");
        json(apply(document(twoListeners, route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1,\"port\":8081}")),
                ""), 200);
        HttpResponse<String> refused = apply(document(node(mesh, "a", 8080)), "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("message").asString()).isEqualTo("spec.listeners: route 'rt' of"
                + " virtual router 'r' in mesh '" + mesh + "' would no longer reach its target: its spec.httpRoute.action"
                + ".weightedTargets[0].port: port 8081 is not a listener port of virtual node 'a' (its listeners: http 8080)");
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")).virtualNode().spec()
                .listeners()).hasSize(2);
    }

    @Test
    void badDocumentsAreRefusedNamingTheResourceAndTheMemberAndStoreNothing() throws Exception {
        String mesh = uniqueName("bad-doc");
        Map<String, Object> cases = new java.util.LinkedHashMap<>();
        cases.put("resources[1].kind: 'VirtualNodes' is not one of [Mesh, VirtualService, VirtualNode, VirtualRouter,"
                + " Route, VirtualGateway, GatewayRoute, AuthorizationPolicy]", document(mesh(mesh), node(mesh, "a", 8080).put("kind", "VirtualNodes")));
        cases.put("resources[2] (virtual node 'a' in mesh '" + mesh + "'): is already given as resources[1]; each"
                + " resource may appear once", document(mesh(mesh), node(mesh, "a", 8080), node(mesh, "a", 8081)));
        cases.put("resources[2] (route 'rt' of virtual router 'r' in mesh '" + mesh + "'): spec.httpRoute.action"
                + ".weightedTargets[0].virtualNode: virtual node 'missing' does not exist in mesh '" + mesh
                + "' and is not in the document", document(mesh(mesh), router(mesh, "r"),
                route(mesh, "r", "rt", "{\"virtualNode\":\"missing\",\"weight\":1}")));
        cases.put("resources[2] (route 'rt' of virtual router 'absent' in mesh '" + mesh + "'): virtualRouterName:"
                + " virtual router 'absent' does not exist in mesh '" + mesh + "' and is not in the document",
                document(mesh(mesh), node(mesh, "a", 8080), route(mesh, "absent", "rt", "{\"virtualNode\":\"a\",\"weight\":1}")));
        ObjectNode grpcOnHttp = route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1}");
        grpcOnHttp.set("spec", JSON.readTree("{\"grpcRoute\":{\"match\":{\"serviceName\":\"a.B\"},\"action\":"
                + "{\"weightedTargets\":[{\"virtualNode\":\"a\",\"weight\":1}]}}}"));
        cases.put("resources[3] (route 'rt' of virtual router 'r' in mesh '" + mesh + "'): spec.grpcRoute: virtual router"
                + " 'r' has no grpc listener (its listeners: http 8080)",
                document(mesh(mesh), node(mesh, "a", 8080), router(mesh, "r"), grpcOnHttp));
        cases.put("resources[1] (Route): virtualRouterName: is required", document(mesh(mesh), routeWithout(mesh)));
        cases.put("resources[0] (virtual node 'a' in mesh 'nowhere-" + mesh + "'): meshName: mesh 'nowhere-" + mesh
                + "' does not exist and is not in the document", document(node("nowhere-" + mesh, "a", 8080)));
        cases.put("resources[1] (virtual node 'a' in mesh '" + mesh + "'): spec.listners: unknown member; the members"
                + " allowed here are [backendDefaults, backends, listeners, logging, serviceDiscovery]",
                document(mesh(mesh), resource("VirtualNode", mesh, "{\"listners\":[]}").put("virtualNodeName", "a")));
        cases.put("the request body is not valid JSON: it ends early (truncated?)",
                "{\"resources\":[{\"kind\":\"Mesh\",\"meshName\":\"" + mesh + "\"}");
        cases.put("resource: unknown member; the members allowed here are [resources]", "{\"resource\":[]}");
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            HttpResponse<String> response = apply(c.getValue(), "");
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
            assertThat(JSON.readTree(response.body()).get("message").asString()).isEqualTo(c.getKey());
            assertMeshAbsent(mesh);
        }
    }

    /**
     * App Mesh's match.port on a router with several listeners, through apply: a document giving a router its second
     * listener and its route the port together applies (the router is written first, while the stored route still
     * has no port); one taking the route's port away again is refused naming the member, and nothing changes.
     */
    @Test
    void matchPortsAreCheckedOnceTheWholeDocumentIsWritten() throws Exception {
        String mesh = uniqueName("match-ports");
        json(apply(document(mesh(mesh), node(mesh, "a", 8080), router(mesh, "r"),
                route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1}")), ""), 200);
        ObjectNode twoListeners = router(mesh, "r");
        ((ArrayNode) twoListeners.get("spec").get("listeners")).addObject().putObject("portMapping")
                .put("port", 9090).put("protocol", "grpc");
        ObjectNode routeOnPort = route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1}");
        ((ObjectNode) routeOnPort.get("spec").get("httpRoute").get("match")).put("port", 8080);
        json(apply(document(twoListeners, routeOnPort), ""), 200);
        HttpResponse<String> refused = apply(document(route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1}")), "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("message").asString()).contains("spec.httpRoute.match.port: no port"
                + " given, and virtual router 'r' has several listeners (http 8080, grpc 9090)");
        assertThat(appMesh.describeRoute(r -> r.meshName(mesh).virtualRouterName("r").routeName("rt")).route().spec()
                .httpRoute().match().port()).isEqualTo(8080);
    }

    /**
     * The App Mesh refusals issue 12 item 6 adds, through apply: a node with listeners and no service discovery
     * (API model, VirtualNodeSpec.serviceDiscovery), and a gateway grpcRoute whose target's provider listens http
     * (Envoy would reach it over HTTP/1.1); each names the resource and the member, and nothing is stored.
     */
    @Test
    void nodesWithoutServiceDiscoveryAndGatewayRoutesTheirTargetCannotCarryAreRefused() throws Exception {
        String mesh = uniqueName("carry");
        HttpResponse<String> noDiscovery = apply(document(mesh(mesh), resource("VirtualNode", mesh,
                "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}]}").put("virtualNodeName", "a")), "");
        assertThat(noDiscovery.statusCode()).as(noDiscovery.body()).isEqualTo(400);
        assertThat(JSON.readTree(noDiscovery.body()).get("message").asString()).isEqualTo("resources[1] (virtual node 'a'"
                + " in mesh '" + mesh + "'): spec.serviceDiscovery: is required when the node has listeners (App Mesh refuses"
                + " a listener without service discovery: callers could find no endpoint of this node); give awsCloudMap"
                + " (namespaceName, serviceName) or dns (hostname)");
        assertMeshAbsent(mesh);
        ObjectNode gateway = resource("VirtualGateway", mesh, """
                {"listeners":[{"portMapping":{"port":8443,"protocol":"grpc"}}]}""").put("virtualGatewayName", "gg");
        ObjectNode grpcToHttp = resource("GatewayRoute", mesh, """
                {"grpcRoute":{"match":{"serviceName":"a.B"},"action":{"target":{"virtualService":{"virtualServiceName":"s.local"}}}}}""")
                .put("virtualGatewayName", "gg").put("gatewayRouteName", "gr");
        HttpResponse<String> http1 = apply(document(mesh(mesh), node(mesh, "a", 8080), serviceByNode(mesh, "s.local", "a"),
                gateway, grpcToHttp), "");
        assertThat(http1.statusCode()).as(http1.body()).isEqualTo(400);
        assertThat(JSON.readTree(http1.body()).get("message").asString()).contains("gateway route 'gr'",
                "spec.grpcRoute.action.target: virtual service 's.local' (through its provider virtual node 'a') listens on"
                        + " port 8080 with protocol http, which Envoy reaches over HTTP/1.1");
        assertMeshAbsent(mesh);
    }

    private static ObjectNode routeWithout(String mesh) {
        ObjectNode route = route(mesh, "r", "rt", "{\"virtualNode\":\"a\",\"weight\":1}");
        route.remove("virtualRouterName");
        return route;
    }

    private void assertMeshAbsent(String mesh) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appMesh.describeMesh(r -> r.meshName(mesh)))
                .isInstanceOf(NotFoundException.class);
    }

    private static void assertEntry(JsonNode entry, String action, Integer index, String kind, String parent,
            String name, Long before, Long after) {
        assertThat(entry.get("action").asString()).as(entry.toString()).isEqualTo(action);
        assertThat(entry.has("index") ? entry.get("index").asInt() : null).as(entry.toString()).isEqualTo(index);
        assertThat(entry.get("kind").asString()).as(entry.toString()).isEqualTo(kind);
        assertThat(entry.has("parentName") ? entry.get("parentName").asString() : null).as(entry.toString()).isEqualTo(parent);
        assertThat(entry.get("name").asString()).as(entry.toString()).isEqualTo(name);
        assertThat(entry.has("versionBefore") ? entry.get("versionBefore").asLong() : null).as(entry.toString()).isEqualTo(before);
        assertThat(entry.has("versionAfter") ? entry.get("versionAfter").asLong() : null).as(entry.toString()).isEqualTo(after);
    }

    /** Waits until this many other sessions wait for a lock the holder's transaction holds. */
    private static void awaitWaitingOnLocks(Connection holder, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (PreparedStatement query = holder.prepareStatement("select count(*) from pg_stat_activity"
                    + " where wait_event_type = 'Lock' and pid <> pg_backend_pid()");
                    ResultSet rows = query.executeQuery()) {
                rows.next();
                if (rows.getInt(1) >= count) {
                    return;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(count + " applies never waited for the mesh's lock");
            }
            Thread.sleep(20);
        }
    }
}
