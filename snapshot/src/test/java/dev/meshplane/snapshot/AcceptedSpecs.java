package dev.meshplane.snapshot;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.CreateGatewayRouteRequest;
import dev.meshplane.api.model.CreateMeshRequest;
import dev.meshplane.api.model.CreateRouteRequest;
import dev.meshplane.api.model.CreateVirtualGatewayRequest;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import dev.meshplane.api.model.CreateVirtualRouterRequest;
import dev.meshplane.api.model.CreateVirtualServiceRequest;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.PortMapping;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.registry.InstanceRules;
import dev.meshplane.api.resource.RouteListenerFit;
import dev.meshplane.api.resource.SpecReferences;
import dev.meshplane.api.resource.TargetPortFit;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import dev.meshplane.api.security.MtlsMode;
import dev.meshplane.api.tracing.TracingSpec;
import dev.meshplane.api.validation.AuthorizationPolicyRules;
import dev.meshplane.api.validation.TracingRules;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random meshes as a user would write them: App Mesh request bodies built from the API model's constraints
 * (lengths, ranges, enums, list sizes, required members) and from what {@code SpecRules} accepts, each passed
 * through the API's own decoder ({@link RequestDecoder#decode}: Bean Validation, {@code TextRules},
 * {@code SpecRules}) in the order the API would create them, so a resource the API refuses, or one whose
 * references the store would refuse, is left out as it would be in a real mesh. What remains is a
 * {@link MeshView} the translators must serve. Values are drawn from a {@link Random} that jqwik seeds.
 *
 * <p>Each input class of issue 12's examples is generated in valid and invalid variants (marked with the
 * example's number), so that the API's refusals are exercised as well as what it lets through.
 */
final class AcceptedSpecs {

    private static final JsonMapper JSON = AppMeshJson.mapper();
    private static final String MESH = "m";
    private static final String[] PROTOCOLS = {"http", "http2", "grpc", "tcp"};
    private static final String[] GATEWAY_PROTOCOLS = {"http", "http2", "grpc"};
    private static final String[] UNITS = {"ms", "s"};
    private static final String[] HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
        "TRACE", "PATCH"};
    private static final String[] HTTP_RETRY_EVENTS = {"server-error", "gateway-error", "client-error", "stream-error"};
    private static final String[] GRPC_RETRY_EVENTS = {"cancelled", "deadline-exceeded", "internal",
        "resource-exhausted", "unavailable"};
    // example 4: regexes of every size, and some RE2 refuses or re2j (grpc-java) does not parse
    private static final String[] REGEXES = {"/api/v[0-9]+/.*", "^/a.*", "[a-z]+", "/(orders|carts)", ".*\\.json",
        "v[12]", "(?i)beta", "^/api/(v1|v2)/(orders|carts|customers)/[a-z0-9-]{36}$", "(?P<v>v[0-9])", "[[:alpha:]]+",
        "\\Qa.b\\E", "[^/]+$"};
    private static final String[] BAD_REGEXES = {"(", "a{1001}", "\\C", "\\pL+", "(?i)ü", "a**", "x{2,1}", "(?<n>x)"};
    private static final String[] HEADER_NAMES = {"x-user", "x-canary", "user-agent", "x-version", "content-type",
        "X-User", "host", ":authority", ":path", "x-envoy-original-path", "h".repeat(50), "h".repeat(51), "x-a1", "te",
        "x-Mixed-Case", "x_under"};
    // the model bounds match values to 1 to 255 characters only: its edges, spaces, tabs, controls, non-ASCII
    private static final String[] TEXT_VALUES = {"premium", "v1", "a b", "Beta", "/", "*", "1", "ü", "x;y", "%",
        " v1 ", "a\tb", "\u0000", "\r\n", "\"", "\\", "v".repeat(255), "😀", "%s", "{}", "$1", ".*"};
    // example 3: access log formats within Envoy's command grammar and outside it, with '%%' escapes
    private static final String[] LOG_TEXTS = {"%START_TIME% %REQ(:METHOD)% %RESPONSE_CODE%",
        "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE%\n",
        "plain text", "%UPSTREAM_HOST% %DURATION%", "100%% of %REQ(USER-AGENT):10%", "%%%%", "%%",
        "%START_TIME(%Y-%m-%dT%H:%M:%S.%3fZ)%", "%DYNAMIC_METADATA(envoy.lb:canary)% %GRPC_STATUS(CAMEL_STRING)%",
        "%FILTER_STATE(key):20%"};
    private static final String[] BAD_LOG_TEXTS = {"%DURATION_MS%", "100% done", "%START_TIME(%Y%n)%", "%REQ()%",
        "%REQ(a:b%", "%duration%", "%GRPC_STATUS(FANCY)%", "%REQ(bad header)%", "%DURATION:10%", "took %DURATION", "%"};
    private static final String[] LOG_JSON_VALUES = {"%START_TIME%", "%RESPONSE_CODE%", "%REQ(:PATH)%", "constant",
        "100%%", "%START_TIME(%s)%"};
    private static final String[] BAD_LOG_JSON_VALUES = {"%DURATION_MS%", "%REQ(a?b?c)%", "%",
        "%DYNAMIC_METADATA(ns:key):5%"};
    // the model leaves hostnames free: edge values beside the usual ones
    private static final String[] DNS_HOSTNAMES = {"orders.internal", "10.0.0.5", "users.svc.cluster.local",
        "db-1.internal", "2001:db8::5", "x.", "ü.local", "Orders.Internal", "2fast.example.com"};
    // example 12: IP literals Envoy's parser refuses, and forms Java's parser reads otherwise
    private static final String[] ODD_DNS_HOSTNAMES = {"10.0.0.256", "10.1", "127.1", "0x7f.1", "010.0.0.1",
        "[::1]", "::1%lo", "fe80::1%eth0", "1::2::3", "::ffff:10.0.0.1", "1.2.3.4::", "10"};
    private static final String[] BAD_DNS_HOSTNAMES = {"", " ", "bad host"};
    // example 10: Meshplane's built-in secret names and the ones a proxy's own SDS serves (SPIRE's, for example)
    private static final String[] SECRETS = {BuiltInSecrets.IDENTITY, BuiltInSecrets.TRUST};
    private static final String[] LOCAL_SECRETS = {"spiffe://m.local/ns/default/sa/web", "spiffe://m.local", "default",
        "ROOTCA", "my cert", "a/b"};
    private static final String[] PATHS = {"/etc/certs/chain.pem", "/etc/certs/key.pem", "/etc/ssl/ca.pem"};
    // the model's FilePath (1 to 255 characters): relative, spaced, non-ASCII and longest paths beside the usual ones
    private static final String[] ODD_PATHS = {"certs/chain.pem", "/etc/my certs/x.pem", "/etc/ü.pem",
        "/" + "p".repeat(254), "C:\\certs\\x.pem"};
    // the model's SubjectAlternativeName (1 to 254 characters): DNS names, wildcards, URIs, IP literals, e-mail
    private static final String[] SANS = {"orders.m.local", "spiffe://m/virtualNode/web", "*.m.local",
        "spiffe://m.local/ns/default/sa/web", "10.0.0.5", "2001:db8::1", "a@example.com", "ü.local", "a b",
        "s".repeat(254), "*", "ORDERS.m.local"};
    // example 12: CIDR blocks Envoy reads, and malformed ones Java's address parser would let through
    private static final String[] IP_BLOCKS = {"10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "2001:db8::/32",
        "172.16.0.1/32", "10/8", "10.0.0.0/33", "fd00::/129", "10.0.0.0/08", "10.1/16", "010.0.0.0/8", "10.0.0.0/",
        "fe80::1%eth0/64", "::/0", "FD00:0:0:0:0:0:0:1/64", "10.0.0.5", " 10.0.0.0/8", "10.0.0.1/8"};

    // registry instances' addresses and ports: edge forms beside the usual ones (example 12), through InstanceRules
    private static final String[] ODD_INSTANCE_IPV4 = {"0.0.0.0", "255.255.255.255", "127.0.0.1", "10.1", "010.0.0.1",
        "2001:db8::1", " 10.0.0.1", "10.0.0.1:80"};
    private static final String[] ODD_INSTANCE_IPV6 = {"::", "::1", "::ffff:10.0.0.1", "fe80::1%eth0", "[2001:db8::1]",
        "2001:DB8::A", "2001:db8:0:0:0:0:0:1", "10.0.0.1"};
    private static final String[] ODD_INSTANCE_PORTS = {"0", "1", "65535", "65536", "+80", "080", "٨٠", " 80", "80.0",
        "-1", ""};

    private final Random random;
    private final Set<String> serviceNames = new TreeSet<>();
    private final Map<String, VirtualNodeSpec> nodes = new LinkedHashMap<>();
    private final Map<String, VirtualRouterSpec> routers = new LinkedHashMap<>();
    private final Map<String, VirtualServiceSpec> services = new LinkedHashMap<>();
    private final Map<String, Map<String, RouteSpec>> routes = new HashMap<>();
    private final Map<String, VirtualGatewaySpec> gateways = new LinkedHashMap<>();
    private final Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes = new HashMap<>();
    private final Map<ServiceKey, List<Instance>> instances = new HashMap<>();
    private final Map<String, AuthorizationPolicySpec> policies = new LinkedHashMap<>();
    /** What the API refused on the way (its messages), which tells the generator's yield. */
    private final List<String> refused = new ArrayList<>();

    private AcceptedSpecs(Random random) {
        this.random = random;
    }

    /** A generated mesh, the API's refusals on the way, and the JSON of what it kept. */
    record Case(MeshView view, List<String> refused, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** One random mesh of accepted resources. */
    static Case generate(Random random) {
        return new AcceptedSpecs(random).build();
    }

    private Case build() {
        int serviceCount = 1 + random.nextInt(5);
        for (int i = 0; i < serviceCount; i++) {
            serviceNames.add("svc" + i + ".m.local");
            // example 5: names Envoy lower-cases into one domain
            if (random.nextInt(6) == 0) {
                serviceNames.add(random.nextBoolean() ? "Svc" + i + ".m.local" : "SVC" + i + ".M.LOCAL");
            }
            // the model's ServiceName has no pattern: edge values beside the usual ones
            if (random.nextInt(8) == 0) {
                serviceNames.add(pick(new String[] {"svc" + i + ".m.local.", "s_" + i + ".m.local", "10.0.0." + (i + 1),
                    "svc " + i, "ü" + i + ".m.local", "svc" + i, "[::" + (i + 1) + "]",
                    ("s" + i + ".").repeat(100).substring(0, 255)}));
            }
        }
        MeshSpec mesh = accept(CreateMeshRequest.class, "meshName", MESH, meshSpec(), CreateMeshRequest::spec);
        int nodeCount = 1 + random.nextInt(5);
        for (int i = 0; i < nodeCount; i++) {
            String name = name("node", i);
            VirtualNodeSpec spec = accept(CreateVirtualNodeRequest.class, "virtualNodeName", name, virtualNode(),
                    CreateVirtualNodeRequest::spec);
            if (spec != null) {
                nodes.put(name, spec);
            }
        }
        int routerCount = random.nextInt(3);
        for (int i = 0; i < routerCount; i++) {
            String name = name("router", i);
            VirtualRouterSpec spec = accept(CreateVirtualRouterRequest.class, "virtualRouterName", name, virtualRouter(),
                    CreateVirtualRouterRequest::spec);
            if (spec != null) {
                routers.put(name, spec);
            }
        }
        for (String service : serviceNames) {
            VirtualServiceSpec spec = accept(CreateVirtualServiceRequest.class, "virtualServiceName", service,
                    virtualService(), CreateVirtualServiceRequest::spec);
            if (spec != null && providerExists(spec)) {
                services.put(service, spec);
            }
        }
        for (String router : routers.keySet()) {
            Map<String, RouteSpec> own = new LinkedHashMap<>();
            int count = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                String name = name("route", i);
                RouteSpec spec = accept(CreateRouteRequest.class, "routeName", name, route(routers.get(router)),
                        CreateRouteRequest::spec);
                if (spec != null && stored(routeProblem(router, spec))) {
                    own.put(name, spec);
                }
            }
            routes.put(router, own);
        }
        int gatewayCount = random.nextInt(3);
        for (int i = 0; i < gatewayCount; i++) {
            String name = name("gateway", i);
            VirtualGatewaySpec spec = accept(CreateVirtualGatewayRequest.class, "virtualGatewayName", name, gateway(),
                    CreateVirtualGatewayRequest::spec);
            if (spec == null) {
                continue;
            }
            gateways.put(name, spec);
            Map<String, GatewayRouteSpec> own = new LinkedHashMap<>();
            int count = services.isEmpty() ? 0 : random.nextInt(5);
            for (int j = 0; j < count; j++) {
                String routeName = name("groute", j);
                GatewayRouteSpec route = accept(CreateGatewayRouteRequest.class, "gatewayRouteName", routeName,
                        gatewayRoute(spec), CreateGatewayRouteRequest::spec);
                if (route != null && stored(gatewayRouteProblem(name, route))) {
                    own.put(routeName, route);
                }
            }
            gatewayRoutes.put(name, own);
        }
        int policyCount = random.nextInt(3);
        for (int i = 0; i < policyCount; i++) {
            AuthorizationPolicySpec policy = acceptPolicy(authorizationPolicy());
            if (policy != null) {
                policies.put("policy" + i, policy);
            }
        }
        MtlsMode mtls = pick(MtlsMode.values());
        MeshView view = new MeshView(MESH, 1, mesh == null ? new MeshSpec(null, null) : mesh, services, nodes, routers,
                routes, gateways, gatewayRoutes, instances, mtls, policies);
        // issue 15's tracing, drawn from a generator of its own seeded by the mesh, so the meshes drawn before it
        // (and the figures docs/xds.md gives for this seed) stay as they were
        Random own = new Random(describe(view).hashCode());
        TracingSpec tracing = own.nextInt(3) == 0 ? null : acceptTracing(tracing(own));
        view = new MeshView(view.mesh(), view.revision(), view.spec(), services, nodes, routers, routes, gateways,
                gatewayRoutes, instances, mtls, policies, tracing);
        return new Case(view, List.copyOf(refused), describe(view));
    }

    private boolean providerExists(VirtualServiceSpec spec) {
        if (spec.provider() == null) {
            return true;
        }
        return spec.provider().virtualNode() != null ? nodes.containsKey(spec.provider().virtualNode().virtualNodeName())
                : routers.containsKey(spec.provider().virtualRouter().virtualRouterName());
    }

    /**
     * What the store refuses of a route the decoder let through, in its write transaction ({@code ResourceStore}):
     * a weighted target naming no virtual node of the mesh, a route no listener of its router serves
     * ({@link RouteListenerFit}), a target port that is not a listener port of its node ({@link TargetPortFit}).
     */
    private String routeProblem(String router, RouteSpec spec) {
        for (SpecReferences.Reference ref : SpecReferences.of(spec)) {
            if (!nodes.containsKey(ref.name())) {
                return ref.member() + ": virtual node '" + ref.name() + "' does not exist";
            }
        }
        String unserved = RouteListenerFit.problem(router, routers.get(router), spec);
        return unserved != null ? unserved : TargetPortFit.problem(spec, nodes::get);
    }

    /** As {@link #routeProblem}, for a gateway route: its gateway's listeners and its service's provider's. */
    private String gatewayRouteProblem(String gateway, GatewayRouteSpec spec) {
        String unserved = RouteListenerFit.problem(gateway, gateways.get(gateway), spec);
        if (unserved != null) {
            return unserved;
        }
        String service = SpecReferences.of(spec).get(0).name();
        VirtualServiceSpec target = services.get(service);
        return target == null ? "virtual service '" + service + "' does not exist"
                : TargetPortFit.problem(spec, provider(target));
    }

    /** The listeners a service is reached on through its provider, or null without one (as the store reads it). */
    private TargetPortFit.Provider provider(VirtualServiceSpec service) {
        if (service.provider() == null) {
            return null;
        }
        List<PortMapping> listeners = service.provider().virtualNode() != null
                ? listenersOf(nodes.get(service.provider().virtualNode().virtualNodeName()))
                : routers.get(service.provider().virtualRouter().virtualRouterName()).listeners().stream()
                        .map(l -> l.portMapping()).toList();
        return new TargetPortFit.Provider("provider", listeners);
    }

    private static List<PortMapping> listenersOf(VirtualNodeSpec node) {
        return node.listeners() == null ? List.of() : node.listeners().stream().map(l -> l.portMapping()).toList();
    }

    /** True when the store would keep the resource; its refusal is counted otherwise. */
    private boolean stored(String problem) {
        if (problem != null) {
            refused.add(problem);
        }
        return problem == null;
    }

    /** Decodes a create request as the API does; null (and counted) when the API would refuse it. */
    private <R extends Record, S> S accept(Class<R> type, String nameMember, String name, ObjectNode spec,
            Function<R, S> specOf) {
        ObjectNode body = JSON.createObjectNode();
        body.put(nameMember, name);
        body.set("spec", spec);
        try {
            return specOf.apply(RequestDecoder.decode(JSON.writeValueAsBytes(body), type));
        } catch (ApiException e) {
            refused.add(e.getMessage());
            return null;
        }
    }

    /** Decodes and checks tracing settings as PutMeshTracing does (the decoder, then {@link TracingRules}). */
    private TracingSpec acceptTracing(ObjectNode spec) {
        try {
            TracingSpec tracing = RequestDecoder.decode(JSON.writeValueAsBytes(spec), TracingSpec.class);
            TracingRules.check(tracing);
            return tracing;
        } catch (ApiException e) {
            refused.add(e.getMessage());
            return null;
        }
    }

    /** Tracing settings of every provider, with addresses, names and paths its consumers take and ones they refuse. */
    private static ObjectNode tracing(Random random) {
        String[] providers = {"xray", "zipkin", "opentelemetry"};
        String provider = providers[random.nextInt(providers.length)];
        ObjectNode spec = JSON.createObjectNode();
        spec.put("provider", provider);
        double[] percents = {0, 0.01, 5, 12.5, 100, -1, 100.5};
        if (random.nextBoolean()) {
            spec.put("samplingPercent", percents[random.nextInt(percents.length)]);
        }
        // a member of another provider now and then, which the API refuses
        String member = random.nextInt(10) == 0 ? providers[random.nextInt(providers.length)] : provider;
        ObjectNode settings = JSON.createObjectNode();
        String[] collectors = {"zipkin.observability:9411", "10.0.9.9:9411", "[fd00::10]:4317", "otel-collector:4317",
            "a-b.c-d.example:1", "[::1]:65535", "zipkin", "10.1:9411", "zip_kin:9411", "fd00::1:4317", "host:0",
            "host:65536", "[fe80::1%eth0]:9411", "host.:9411", "-host:9411", "host:09411"};
        switch (member) {
            case "xray" -> {
                String[] daemons = {"127.0.0.1:2000", "10.0.0.5", "169.254.170.2:2000", "xray:2000", "[::1]:2000", "::1",
                    "127.1", "127.0.0.1:0"};
                String[] segments = {"web", "mesh/node", "a b", "ü", "x;y", "", "x".repeat(200), "x".repeat(201)};
                if (random.nextBoolean()) {
                    settings.put("daemonAddress", daemons[random.nextInt(daemons.length)]);
                }
                if (random.nextBoolean()) {
                    settings.put("segmentName", segments[random.nextInt(segments.length)]);
                }
            }
            case "zipkin" -> {
                String[] paths = {"/api/v2/spans", "/zipkin/api/v2/spans?x=1", "/%7E/spans", "api", "/a b", "/%zz"};
                String[] versions = {"HTTP_JSON", "HTTP_PROTO", "GRPC"};
                settings.put("collector", collectors[random.nextInt(collectors.length)]);
                if (random.nextBoolean()) {
                    settings.put("path", paths[random.nextInt(paths.length)]);
                }
                if (random.nextBoolean()) {
                    settings.put("version", versions[random.nextInt(versions.length)]);
                }
            }
            default -> {
                String[] serviceNames = {"svc", "ü", "m/web", "x".repeat(255)};
                settings.put("collector", collectors[random.nextInt(collectors.length)]);
                if (random.nextBoolean()) {
                    settings.put("serviceName", serviceNames[random.nextInt(serviceNames.length)]);
                }
            }
        }
        // sometimes the provider's own member is left out: optional for X-Ray, refused for the others
        if (random.nextInt(8) != 0) {
            spec.set(member, settings);
        }
        return spec;
    }

    /** Decodes and checks a policy as PutAuthorizationPolicy does (the model's constraints, then its own rules). */
    private AuthorizationPolicySpec acceptPolicy(ObjectNode spec) {
        try {
            AuthorizationPolicySpec policy = JSON.treeToValue(spec, AuthorizationPolicySpec.class);
            RequestDecoder.validate(policy, "spec");
            AuthorizationPolicyRules.check(policy);
            return policy;
        } catch (ApiException e) {
            refused.add(e.getMessage());
            return null;
        }
    }

    // ---- the mesh

    private ObjectNode meshSpec() {
        ObjectNode spec = JSON.createObjectNode();
        if (random.nextBoolean()) {
            spec.putObject("egressFilter").put("type", random.nextBoolean() ? "ALLOW_ALL" : "DROP_ALL");
        }
        if (random.nextInt(3) == 0) {
            spec.putObject("serviceDiscovery").put("ipPreference", ipPreference());
        }
        return spec;
    }

    private String ipPreference() {
        return pick(new String[] {"IPv6_PREFERRED", "IPv4_PREFERRED", "IPv4_ONLY", "IPv6_ONLY"});
    }

    // ---- virtual nodes

    private ObjectNode virtualNode() {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode listeners = spec.putArray("listeners");
        List<Integer> ports = listenerPorts(random.nextInt(4));
        for (int port : ports) {
            listeners.add(listener(port));
        }
        int backendCount = random.nextInt(5);
        if (backendCount > 0) {
            ArrayNode backends = spec.putArray("backends");
            for (String service : distinct(backendCount, this::backendName)) {
                ObjectNode backend = backends.addObject().putObject("virtualService");
                backend.put("virtualServiceName", service);
                if (random.nextInt(4) == 0) {
                    backend.set("clientPolicy", clientPolicy());
                }
            }
        }
        if (random.nextInt(4) == 0) {
            spec.putObject("backendDefaults").set("clientPolicy", clientPolicy());
        }
        // App Mesh refuses listeners without service discovery (SpecRules); only a node with none may omit it
        switch (random.nextInt(listeners.isEmpty() ? 3 : 2)) {
            case 0 -> {
                ObjectNode dns = spec.putObject("serviceDiscovery").putObject("dns");
                dns.put("hostname", switch (random.nextInt(16)) {
                    case 0 -> pick(BAD_DNS_HOSTNAMES);
                    case 1, 2 -> pick(ODD_DNS_HOSTNAMES);
                    default -> pick(DNS_HOSTNAMES);
                });
                maybe(() -> dns.put("responseType", random.nextBoolean() ? "LOADBALANCER" : "ENDPOINTS"));
                maybe(() -> dns.put("ipPreference", ipPreference()));
            }
            case 1 -> spec.putObject("serviceDiscovery").set("awsCloudMap", cloudMap());
            default -> {
            }
        }
        if (random.nextInt(3) == 0) {
            spec.putObject("logging").putObject("accessLog").set("file", accessLog());
        }
        return spec;
    }

    /**
     * The {@code i}th resource name of a kind: mostly plain, sometimes what the model's ResourceName (1 to 255
     * characters) also allows: the previous name in another case (example 5), spaces, ':', ',', '+', '"', non-ASCII,
     * 255 and 256 characters ('/', a backslash, ';' and '%' are refused by control-plane's ResourceService, not generated).
     */
    private String name(String base, int i) {
        return switch (random.nextInt(16)) {
            case 0 -> i > 0 ? base.toUpperCase(java.util.Locale.ROOT) + (i - 1) : base + i;
            case 1 -> base + " " + i;
            case 2 -> base + ":" + i;
            case 3 -> base + ",\"+" + i;
            case 4 -> "ü-" + base + i;
            case 5 -> (base + i + "-").repeat(60).substring(0, 255 + random.nextInt(2));
            default -> base + i;
        };
    }

    private String backendName() {
        // a backend need not exist (App Mesh allows it); most name the mesh's services
        return random.nextInt(6) == 0 ? "external.m.local" : pick(serviceNames.toArray(String[]::new));
    }

    private ObjectNode listener(int port) {
        String protocol = pick(PROTOCOLS);
        ObjectNode listener = JSON.createObjectNode();
        listener.putObject("portMapping").put("port", port).put("protocol", protocol);
        if (random.nextInt(3) == 0) {
            listener.set("tls", listenerTls());
        }
        if (random.nextInt(3) == 0) {
            listener.set("healthCheck", healthCheck(protocol, PROTOCOLS));
        }
        if (random.nextInt(3) == 0) {
            ObjectNode timeout = listener.putObject("timeout").putObject(protocol);
            maybe(() -> timeout.set("idle", duration()));
            if (!protocol.equals("tcp")) {
                maybe(() -> timeout.set("perRequest", duration()));
            }
        }
        if (random.nextInt(3) == 0) {
            ObjectNode outlier = listener.putObject("outlierDetection");
            outlier.set("baseEjectionDuration", duration());
            outlier.set("interval", duration());
            outlier.put("maxEjectionPercent", random.nextInt(101));
            outlier.put("maxServerErrors", pick(new Long[] {1L, 5L, 1000L, 4_294_967_296L, Long.MAX_VALUE}));
        }
        if (random.nextInt(3) == 0) {
            ObjectNode pool = listener.putObject("connectionPool").putObject(protocol);
            switch (protocol) {
                case "tcp" -> pool.put("maxConnections", poolSize());
                case "http" -> {
                    pool.put("maxConnections", poolSize());
                    maybe(() -> pool.put("maxPendingRequests", 1 + random.nextInt(10000)));
                }
                default -> pool.put("maxRequests", poolSize());
            }
        }
        return listener;
    }

    private ObjectNode listenerTls() {
        ObjectNode tls = JSON.createObjectNode();
        tls.put("mode", pick(new String[] {"STRICT", "PERMISSIVE", "DISABLED"}));
        tls.set("certificate", certificate());
        if (random.nextBoolean()) {
            tls.set("validation", validation());
        }
        return tls;
    }

    private ObjectNode certificate() {
        ObjectNode certificate = JSON.createObjectNode();
        switch (random.nextInt(16)) {
            case 0 -> certificate.putObject("acm").put("certificateArn",
                    "arn:aws:acm:us-east-1:111122223333:certificate/abc");
            case 1 -> certificate.putObject("file").put("certificateChain", pick(ODD_PATHS)).put("privateKey", pick(ODD_PATHS));
            case 2, 3, 4, 5, 6, 7 -> certificate.putObject("file").put("certificateChain", PATHS[0]).put("privateKey", PATHS[1]);
            default -> certificate.putObject("sds").put("secretName", secretName());
        }
        return certificate;
    }

    private ObjectNode validation() {
        ObjectNode validation = JSON.createObjectNode();
        switch (random.nextInt(16)) {
            case 0 -> validation.putObject("trust").putObject("acm").putArray("certificateAuthorityArns")
                    .add("arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/abc");
            case 1, 2, 3, 4, 5, 6, 7 -> validation.putObject("trust").putObject("file").put("certificateChain", PATHS[2]);
            default -> validation.putObject("trust").putObject("sds").put("secretName", secretName());
        }
        if (random.nextBoolean()) {
            ArrayNode exact = validation.putObject("subjectAlternativeNames").putObject("match").putArray("exact");
            distinct(1 + random.nextInt(2), () -> pick(SANS)).forEach(exact::add);
        }
        return validation;
    }

    private ObjectNode clientPolicy() {
        ObjectNode tls = JSON.createObjectNode();
        maybe(() -> tls.put("enforce", random.nextBoolean()));
        if (random.nextBoolean()) {
            ArrayNode ports = tls.putArray("ports");
            distinctPorts(1 + random.nextInt(2)).forEach(ports::add);
        }
        if (random.nextBoolean()) {
            tls.set("certificate", certificate());
        }
        tls.set("validation", validation());
        ObjectNode policy = JSON.createObjectNode();
        policy.set("tls", tls);
        return policy;
    }

    private ObjectNode healthCheck(String listenerProtocol, String[] protocols) {
        ObjectNode check = JSON.createObjectNode();
        // mostly the listener's own protocol; sometimes another, which the API may refuse
        check.put("protocol", random.nextInt(4) == 0 ? pick(protocols) : listenerProtocol);
        check.put("healthyThreshold", 2 + random.nextInt(9));
        check.put("unhealthyThreshold", 2 + random.nextInt(9));
        check.put("intervalMillis", 5000 + random.nextInt(295001));
        check.put("timeoutMillis", 2000 + random.nextInt(58001));
        maybe(() -> check.put("path", random.nextInt(16) == 0 ? "health" : pick(new String[] {"/", "/health", "/ping?full=1"})));
        maybe(() -> check.put("port", port()));
        return check;
    }

    private ObjectNode cloudMap() {
        ObjectNode cloudMap = JSON.createObjectNode();
        String namespace = "ns.local";
        String service = "svc" + random.nextInt(3);
        cloudMap.put("namespaceName", namespace).put("serviceName", service);
        if (random.nextBoolean()) {
            cloudMap.putArray("attributes").addObject().put("key", "version").put("value", "v" + random.nextInt(2));
        }
        maybe(() -> cloudMap.put("ipPreference", ipPreference()));
        ServiceKey key = new ServiceKey(namespace, service);
        if (!instances.containsKey(key)) {
            List<Instance> registered = new ArrayList<>();
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                Map<String, String> attributes = new HashMap<>();
                if (random.nextInt(3) > 0) {
                    attributes.put(Instance.IPV4, random.nextInt(8) == 0 ? pick(ODD_INSTANCE_IPV4)
                            : "10.0.%d.%d".formatted(random.nextInt(256), 1 + random.nextInt(254)));
                }
                if (attributes.isEmpty() || random.nextInt(3) == 0) {
                    attributes.put(Instance.IPV6, random.nextInt(8) == 0 ? pick(ODD_INSTANCE_IPV6)
                            : "2001:db8::" + Integer.toHexString(1 + random.nextInt(0xfff)));
                }
                maybe(() -> attributes.put(Instance.PORT, random.nextInt(8) == 0 ? pick(ODD_INSTANCE_PORTS)
                        : String.valueOf(port())));
                attributes.put("version", "v" + random.nextInt(2));
                // registered through the registry API, whose rules refuse what Envoy and gRPC could not use
                try {
                    InstanceRules.checkAttributes(attributes);
                    registered.add(new Instance("i" + i, attributes));
                } catch (ApiException e) {
                    refused.add(e.getMessage());
                }
            }
            instances.put(key, registered);
        }
        return cloudMap;
    }

    private ObjectNode accessLog() {
        ObjectNode file = JSON.createObjectNode();
        file.put("path", random.nextInt(8) == 0 ? pick(ODD_PATHS)
                : random.nextBoolean() ? "/dev/stdout" : "/var/log/envoy/access.log");
        switch (random.nextInt(3)) {
            case 0 -> file.putObject("format").put("text", random.nextInt(4) == 0 ? pick(BAD_LOG_TEXTS) : pick(LOG_TEXTS));
            case 1 -> {
                ArrayNode json = file.putObject("format").putArray("json");
                for (String key : distinct(1 + random.nextInt(3), () -> pick(new String[] {"start", "code", "path", "k",
                        "@timestamp", "a.b", "k ü", "\"", "k".repeat(100)}))) {
                    json.addObject().put("key", key).put("value", random.nextInt(6) == 0 ? pick(BAD_LOG_JSON_VALUES)
                            : pick(LOG_JSON_VALUES));
                }
            }
            default -> {
            }
        }
        return file;
    }

    // ---- routers, services and routes

    private ObjectNode virtualRouter() {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode listeners = spec.putArray("listeners");
        for (int port : listenerPorts(1 + random.nextInt(2))) {
            listeners.addObject().putObject("portMapping").put("port", port).put("protocol", pick(PROTOCOLS));
        }
        return spec;
    }

    private ObjectNode virtualService() {
        ObjectNode spec = JSON.createObjectNode();
        int choice = random.nextInt(5);
        if (choice < 3 && !nodes.isEmpty()) {
            spec.putObject("provider").putObject("virtualNode").put("virtualNodeName", pick(nodes.keySet()));
        } else if (choice < 4 && !routers.isEmpty()) {
            spec.putObject("provider").putObject("virtualRouter").put("virtualRouterName", pick(routers.keySet()));
        }
        return spec;
    }

    private ObjectNode route(VirtualRouterSpec router) {
        ObjectNode spec = JSON.createObjectNode();
        // mostly the kind of the router's listener; sometimes any kind
        String protocol = random.nextInt(5) == 0 || router.listeners() == null || router.listeners().isEmpty()
                ? pick(PROTOCOLS) : router.listeners().get(random.nextInt(router.listeners().size())).portMapping()
                        .protocol().wireValue();
        maybe(() -> spec.put("priority", random.nextInt(1001)));
        switch (protocol) {
            case "tcp" -> {
                ObjectNode tcp = spec.putObject("tcpRoute");
                tcp.set("action", weightedTargets());
                if (random.nextBoolean()) {
                    tcp.putObject("match").put("port", listenerPort(routerPorts(router)));
                }
                if (random.nextInt(3) == 0) {
                    tcp.putObject("timeout").set("idle", duration());
                }
            }
            case "grpc" -> spec.set("grpcRoute", grpcRoute(router));
            default -> spec.set(protocol.equals("http") ? "httpRoute" : "http2Route", httpRoute(router));
        }
        return spec;
    }

    private ObjectNode weightedTargets() {
        ObjectNode action = JSON.createObjectNode();
        ArrayNode targets = action.putArray("weightedTargets");
        if (nodes.isEmpty()) {
            targets.addObject().put("virtualNode", "missing").put("weight", 1);
            return action;
        }
        // up to the model's 10 targets now and then; weights mostly within App Mesh's total of 100, sometimes over
        List<String> chosen = distinct(random.nextInt(10) == 0 ? 1 + random.nextInt(10) : 1 + random.nextInt(3),
                () -> pick(nodes.keySet()));
        boolean within = random.nextInt(6) > 0;
        for (String node : chosen) {
            ObjectNode target = targets.addObject().put("virtualNode", node)
                    .put("weight", within ? weight() / chosen.size() : weight());
            // a node with several listeners needs the port (App Mesh)
            if (listenersOf(nodes.get(node)).size() > 1 ? random.nextInt(8) > 0 : random.nextInt(3) == 0) {
                target.put("port", targetPort(node));
            }
        }
        return action;
    }

    private long maxRetries() {
        return random.nextInt(5) == 0 ? pick(new Long[] {4_294_967_296L, Long.MAX_VALUE}) : random.nextInt(6);
    }

    private int weight() {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 100;
            default -> random.nextInt(101);
        };
    }

    /** Mostly a port of the target's listeners, as a user would write it. */
    private int targetPort(String node) {
        VirtualNodeSpec spec = nodes.get(node);
        if (spec.listeners() != null && !spec.listeners().isEmpty() && random.nextInt(4) > 0) {
            return spec.listeners().get(random.nextInt(spec.listeners().size())).portMapping().port();
        }
        return port();
    }

    private ObjectNode httpRoute(VirtualRouterSpec router) {
        ObjectNode route = JSON.createObjectNode();
        ObjectNode match = route.putObject("match");
        pathMatch(match, true);
        if (random.nextInt(3) == 0) {
            match.set("headers", headers(random.nextInt(8) == 0 ? 10 : random.nextInt(3) + 1));
        }
        if (random.nextInt(4) == 0) {
            ArrayNode query = match.putArray("queryParameters");
            for (String name : distinct(1 + random.nextInt(2), () -> pick(new String[] {"tier", "debug", "v", "", "a b"}))) {
                ObjectNode parameter = query.addObject().put("name", name);
                maybe(() -> parameter.putObject("match").put("exact", pick(TEXT_VALUES)));
            }
        }
        maybe(() -> match.put("method", pick(HTTP_METHODS)));
        if (random.nextInt(4) == 0) {
            match.put("scheme", random.nextBoolean() ? "http" : "https");
        }
        if (random.nextInt(4) == 0) {
            match.put("port", listenerPort(routerPorts(router)));
        }
        route.set("action", weightedTargets());
        if (random.nextInt(3) == 0) {
            ObjectNode retry = route.putObject("retryPolicy");
            retry.put("maxRetries", maxRetries());
            retry.set("perRetryTimeout", duration());
            if (random.nextInt(4) > 0) {
                ArrayNode events = retry.putArray("httpRetryEvents");
                distinct(1 + random.nextInt(3), () -> pick(HTTP_RETRY_EVENTS)).forEach(events::add);
            }
            if (random.nextBoolean() || !retry.has("httpRetryEvents")) {
                retry.putArray("tcpRetryEvents").add("connection-error");
            }
        }
        if (random.nextInt(3) == 0) {
            ObjectNode timeout = route.putObject("timeout");
            maybe(() -> timeout.set("idle", duration()));
            maybe(() -> timeout.set("perRequest", duration()));
        }
        return route;
    }

    private void pathMatch(ObjectNode match, boolean routerRoute) {
        switch (random.nextInt(routerRoute ? 3 : 4)) {
            case 0 -> match.put("prefix", pick(new String[] {"/", "/api", "/api/", "/orders/v1", "/a b", "/?x", "/#"}));
            case 1 -> match.putObject("path").put("exact", pick(new String[] {"/", "/health", "/api/orders", "/a b", "/x?y"}));
            case 2 -> match.putObject("path").put("regex", regex());
            default -> {
            }
        }
    }

    private ArrayNode headers(int count) {
        ArrayNode headers = JSON.createArrayNode();
        // the model's most (10) with names every consumer takes, else any names, some refused
        String[] names = count == 10 ? new String[] {"x-user", "x-canary", "x-version", "x-a1", "x-b2", "x-c3", "x-d4",
            "x-e5", "x-f6", "x-g7"} : HEADER_NAMES;
        for (String name : distinct(count, () -> pick(names))) {
            ObjectNode header = headers.addObject().put("name", name);
            maybe(() -> header.put("invert", random.nextBoolean()));
            if (random.nextInt(6) > 0) {
                header.set("match", headerMatch());
            }
        }
        return headers;
    }

    /** Every kind App Mesh has, for Envoy and for gRPC clients (example 1: C-core 1.51 gets the forms it parses). */
    private ObjectNode headerMatch() {
        ObjectNode match = JSON.createObjectNode();
        switch (random.nextInt(5)) {
            case 0 -> match.put("exact", pick(TEXT_VALUES));
            case 1 -> match.put("prefix", pick(TEXT_VALUES));
            case 2 -> match.put("suffix", pick(TEXT_VALUES));
            case 3 -> match.put("regex", regex());
            default -> {
                long start = random.nextInt(8) == 0 ? Long.MIN_VALUE : random.nextInt(1000) - 10;
                long end = random.nextInt(8) == 0 ? Long.MAX_VALUE : start + 1 + random.nextInt(1000);
                match.putObject("range").put("start", start).put("end", end);
            }
        }
        return match;
    }

    private ObjectNode grpcRoute(VirtualRouterSpec router) {
        ObjectNode route = JSON.createObjectNode();
        ObjectNode match = route.putObject("match");
        if (random.nextInt(4) > 0) {
            match.put("serviceName", random.nextInt(8) == 0
                    ? pick(new String[] {"", "a/b", "x y"}) : pick(new String[] {"users.UserService", "pkg.v1.Orders", "Svc",
                        "a.b.c.d.e.f.V1alpha1Service", "s".repeat(255)}));
        }
        // example 6: a method name without its service, which App Mesh refuses, sometimes
        if (match.has("serviceName") ? random.nextBoolean() : random.nextInt(8) == 0) {
            match.put("methodName", pick(new String[] {"GetUser", "List", "m", "a/b", "*"}));
        }
        if (random.nextInt(3) == 0) {
            match.set("metadata", headers(random.nextInt(4) == 0 ? 10 : 1 + random.nextInt(2)));
        }
        if (random.nextInt(4) == 0) {
            match.put("port", listenerPort(routerPorts(router)));
        }
        route.set("action", weightedTargets());
        if (random.nextInt(3) == 0) {
            ObjectNode retry = route.putObject("retryPolicy");
            retry.put("maxRetries", maxRetries());
            retry.set("perRetryTimeout", duration());
            if (random.nextInt(4) > 0) {
                ArrayNode events = retry.putArray("grpcRetryEvents");
                distinct(1 + random.nextInt(3), () -> pick(GRPC_RETRY_EVENTS)).forEach(events::add);
            }
            if (random.nextBoolean()) {
                ArrayNode events = retry.putArray("httpRetryEvents");
                distinct(1 + random.nextInt(2), () -> pick(HTTP_RETRY_EVENTS)).forEach(events::add);
            }
            if (random.nextBoolean()) {
                retry.putArray("tcpRetryEvents").add("connection-error");
            }
        }
        if (random.nextInt(3) == 0) {
            ObjectNode timeout = route.putObject("timeout");
            maybe(() -> timeout.set("idle", duration()));
            maybe(() -> timeout.set("perRequest", duration()));
        }
        return route;
    }

    // ---- gateways

    private ObjectNode gateway() {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode listeners = spec.putArray("listeners");
        for (int port : listenerPorts(1 + random.nextInt(2))) {
            String protocol = pick(GATEWAY_PROTOCOLS);
            ObjectNode listener = listeners.addObject();
            listener.putObject("portMapping").put("port", port).put("protocol", protocol);
            if (random.nextInt(3) == 0) {
                listener.set("tls", listenerTls());
            }
            if (random.nextInt(3) == 0) {
                listener.set("healthCheck", healthCheck(protocol, GATEWAY_PROTOCOLS));
            }
            if (random.nextInt(3) == 0) {
                ObjectNode pool = listener.putObject("connectionPool").putObject(protocol);
                if (protocol.equals("http")) {
                    pool.put("maxConnections", 1 + random.nextInt(1000));
                    maybe(() -> pool.put("maxPendingRequests", 1 + random.nextInt(1000)));
                } else {
                    pool.put("maxRequests", 1 + random.nextInt(1000));
                }
            }
        }
        if (random.nextInt(4) == 0) {
            spec.putObject("backendDefaults").set("clientPolicy", clientPolicy());
        }
        if (random.nextInt(3) == 0) {
            spec.putObject("logging").putObject("accessLog").set("file", accessLog());
        }
        return spec;
    }

    /** A gateway route, mostly of a kind and {@code match.port} its gateway's listeners serve, as a user writes it. */
    private ObjectNode gatewayRoute(VirtualGatewaySpec gateway) {
        ObjectNode spec = JSON.createObjectNode();
        maybe(() -> spec.put("priority", random.nextInt(1001)));
        String protocol = random.nextInt(5) == 0 ? pick(GATEWAY_PROTOCOLS)
                : gateway.listeners().get(random.nextInt(gateway.listeners().size())).portMapping().protocol().wireValue();
        String kind = switch (protocol) {
            case "http" -> "httpRoute";
            case "http2" -> "http2Route";
            default -> "grpcRoute";
        };
        ObjectNode route = spec.putObject(kind);
        ObjectNode match = route.putObject("match");
        ObjectNode action = route.putObject("action");
        ObjectNode target = action.putObject("target");
        String service = pick(services.keySet());
        target.putObject("virtualService").put("virtualServiceName", service);
        TargetPortFit.Provider provider = provider(services.get(service));
        // a provider with several listeners needs the port (App Mesh); mostly one of them, as a user writes it
        if (provider != null && provider.listeners().size() > 1 ? random.nextInt(8) > 0 : random.nextInt(4) == 0) {
            target.put("port", listenerPort(provider == null ? List.of()
                    : provider.listeners().stream().map(PortMapping::port).toList()));
        }
        if (random.nextInt(3) == 0) {
            // example 5: host names that differ in case only among the usual ones and the edge values
            match.putObject("hostname").put(random.nextBoolean() ? "exact" : "suffix",
                    pick(new String[] {"api.example.com", ".example.com", "example.com", "a.b", "*", "*.example.com",
                        "a*b", "example.com.", "api.example.com:8080", "[::1]", "API.example.com", "Api.Example.Com",
                        ".Example.com", "EXAMPLE.COM"}));
        }
        if (random.nextInt(4) == 0) {
            match.put("port", listenerPort(gateway.listeners().stream().map(l -> l.portMapping().port()).toList()));
        }
        if (kind.equals("grpcRoute")) {
            maybe(() -> match.put("serviceName", pick(new String[] {"users.UserService", "Svc", "", "a/b"})));
            if (random.nextInt(3) == 0) {
                match.set("metadata", headers(random.nextInt(8) == 0 ? 10 : 1 + random.nextInt(2)));
            }
            if (random.nextInt(3) == 0) {
                action.putObject("rewrite").putObject("hostname").put("defaultTargetHostname", enabled());
            }
            return spec;
        }
        pathMatch(match, false);
        if (random.nextInt(3) == 0) {
            match.set("headers", headers(random.nextInt(8) == 0 ? 10 : 1 + random.nextInt(2)));
        }
        if (random.nextInt(4) == 0) {
            match.putArray("queryParameters").addObject().put("name", "tier").putObject("match").put("exact", "gold");
        }
        maybe(() -> match.put("method", pick(HTTP_METHODS)));
        if (random.nextInt(2) == 0) {
            ObjectNode rewrite = action.putObject("rewrite");
            maybe(() -> rewrite.putObject("hostname").put("defaultTargetHostname", enabled()));
            int rewriteKind = random.nextInt(6);
            // a prefix rewrite needs a prefix match (the API refuses it on a path match): mostly give it one
            if (rewriteKind < 2 && !match.has("prefix") && random.nextInt(4) > 0) {
                match.remove("path");
                match.put("prefix", pick(new String[] {"/", "/api", "/api/", "/orders/v1"}));
            }
            // every kind of rewrite, none, and the combinations the API refuses (prefix and path; both prefix forms)
            switch (rewriteKind) {
                case 0 -> rewrite.putObject("prefix").put("defaultPrefix", enabled());
                case 1 -> rewrite.putObject("prefix").put("value", pick(new String[] {"/", "/v2/", "/x", "x", " "}));
                case 2 -> rewrite.putObject("path").put("exact", pick(new String[] {"/", "/new", "/a/b", "new", "/a?b"}));
                case 3 -> {
                    rewrite.putObject("prefix").put("defaultPrefix", enabled());
                    rewrite.putObject("path").put("exact", "/new");
                }
                case 4 -> rewrite.putObject("prefix").put("defaultPrefix", enabled()).put("value", "/v2/");
                default -> {
                }
            }
        }
        return spec;
    }

    private String enabled() {
        return random.nextBoolean() ? "ENABLED" : "DISABLED";
    }

    // ---- authorization policies (Meshplane's own)

    private ObjectNode authorizationPolicy() {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode targets = spec.putObject("targets").putArray("virtualNodes");
        if (random.nextInt(3) == 0 || nodes.isEmpty()) {
            targets.add("*");
        } else {
            distinct(1 + random.nextInt(2), () -> pick(nodes.keySet())).forEach(targets::add);
        }
        spec.put("action", random.nextBoolean() ? "ALLOW" : "DENY");
        maybe(() -> spec.put("dryRun", random.nextBoolean()));
        ArrayNode rules = spec.putArray("rules");
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            ObjectNode rule = rules.addObject();
            if (random.nextBoolean()) {
                ObjectNode from = rule.putObject("from");
                maybe(() -> from.putArray("virtualNodes").add(nodes.isEmpty() ? "web" : pick(nodes.keySet())));
                maybe(() -> from.putArray("virtualGateways").add(gateways.isEmpty() ? "gateway0" : pick(gateways.keySet())));
                maybe(() -> from.put("anyMeshIdentity", random.nextBoolean()));
                maybe(() -> distinct(1 + random.nextInt(3), () -> pick(IP_BLOCKS)).forEach(from.putArray("ipBlocks")::add));
            }
            if (random.nextBoolean()) {
                ObjectNode to = rule.putObject("to");
                maybe(() -> to.putArray("paths").add(pick(new String[] {"/", "/admin", "/api/orders"})));
                maybe(() -> to.putArray("prefixes").add(pick(new String[] {"/", "/api/"})));
                maybe(() -> to.putArray("methods").add(pick(HTTP_METHODS)));
                if (random.nextBoolean()) {
                    ObjectNode header = to.putArray("headers").addObject().put("name", random.nextInt(8) == 0
                            ? pick(new String[] {"bad header", "", "x:y"}) : pick(HEADER_NAMES).toLowerCase());
                    if (random.nextInt(8) == 0) {
                        header.put("exact", pick(TEXT_VALUES));
                    }
                    switch (random.nextInt(4)) {
                        case 0 -> header.put("exact", pick(TEXT_VALUES));
                        case 1 -> header.put("prefix", pick(TEXT_VALUES));
                        case 2 -> header.put("regex", regex());
                        default -> header.put("present", random.nextBoolean());
                    }
                }
            }
        }
        return spec;
    }

    // ---- small values

    private ObjectNode duration() {
        ObjectNode duration = JSON.createObjectNode();
        String unit = pick(UNITS);
        // the model bounds durations below only: edge values beside the usual ones
        long value = switch (random.nextInt(32)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> Long.MAX_VALUE;
            case 3 -> 315_576_000_001L;
            case 4 -> Integer.MAX_VALUE + 1L;
            default -> unit.equals("ms") ? random.nextInt(600_000) : random.nextInt(3_600);
        };
        return duration.put("unit", unit).put("value", value);
    }

    /** A port: the model's bounds, common ones, and now and then a sidecar's own (15000, 15001, 9901: refused for listeners). */
    private int port() {
        return switch (random.nextInt(16)) {
            case 0, 1 -> 1;
            case 2, 3 -> 65535;
            case 4 -> pick(new Integer[] {15000, 15001, 9901});
            default -> pick(new Integer[] {80, 443, 8080, 8443, 9080, 5432, 50051});
        };
    }

    /** Mostly one of a resource's listener ports (the store refuses others), sometimes any port. */
    private int listenerPort(List<Integer> ports) {
        return ports.isEmpty() || random.nextInt(4) == 0 ? port() : ports.get(random.nextInt(ports.size()));
    }

    private static List<Integer> routerPorts(VirtualRouterSpec router) {
        return router.listeners() == null ? List.of() : router.listeners().stream().map(l -> l.portMapping().port()).toList();
    }

    /** A connection pool size: the model sets 1 as its minimum and no maximum (an int32). */
    private int poolSize() {
        return switch (random.nextInt(16)) {
            case 0 -> 1;
            case 1 -> Integer.MAX_VALUE;
            default -> 1 + random.nextInt(10000);
        };
    }

    private List<Integer> distinctPorts(int count) {
        return distinct(count, this::port);
    }

    /** Mostly a built-in secret; sometimes one the proxy's own SDS server holds (example 10). */
    private String secretName() {
        return random.nextInt(4) == 0 ? pick(LOCAL_SECRETS) : pick(SECRETS);
    }

    /**
     * Mostly a listed regex (sometimes one RE2 or re2j refuses); sometimes one whose RE2 program size lies anywhere
     * around Envoy's limit (example 4).
     */
    private String regex() {
        if (random.nextInt(4) > 0) {
            return random.nextInt(6) == 0 ? pick(BAD_REGEXES) : pick(REGEXES);
        }
        int repeat = 1 + random.nextInt(400);
        return switch (random.nextInt(3)) {
            case 0 -> "^/api/(v1|v2)/(orders|carts|customers)/[a-z0-9-]{" + repeat + "}$";
            case 1 -> "(a|bc|def){" + repeat + "}";
            default -> "[[:alnum:]]{1," + repeat + "}";
        };
    }

    /** Listener ports as a user writes them: mostly distinct, sometimes one twice (example 6: App Mesh refuses it). */
    private List<Integer> listenerPorts(int count) {
        List<Integer> ports = distinctPorts(count);
        if (!ports.isEmpty() && random.nextInt(12) == 0) {
            ports.add(ports.get(random.nextInt(ports.size())));
        }
        return ports;
    }

    private <T> List<T> distinct(int count, java.util.function.Supplier<T> values) {
        Set<T> chosen = new java.util.LinkedHashSet<>();
        for (int tries = 0; chosen.size() < count && tries < count * 10; tries++) {
            chosen.add(values.get());
        }
        return new ArrayList<>(chosen);
    }

    private void maybe(Runnable action) {
        if (random.nextBoolean()) {
            action.run();
        }
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private String pick(Set<String> values) {
        return pick(values.toArray(String[]::new));
    }

    private static String describe(MeshView view) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mesh", view.mesh());
        doc.put("mtls", view.mtls().name());
        doc.put("spec", view.spec());
        doc.put("virtualNodes", new java.util.TreeMap<>(view.virtualNodes()));
        doc.put("virtualServices", new java.util.TreeMap<>(view.virtualServices()));
        doc.put("virtualRouters", new java.util.TreeMap<>(view.virtualRouters()));
        doc.put("routes", new java.util.TreeMap<>(view.routes()));
        doc.put("virtualGateways", new java.util.TreeMap<>(view.virtualGateways()));
        doc.put("gatewayRoutes", new java.util.TreeMap<>(view.gatewayRoutes()));
        doc.put("authorizationPolicies", new java.util.TreeMap<>(view.authorizationPolicies()));
        if (view.tracing() != null) {
            doc.put("tracing", view.tracing());
        }
        List<Map<String, Object>> registered = new ArrayList<>();
        view.instances().forEach((key, list) -> list.forEach(i -> registered.add(Map.of("namespace", key.namespace(),
                "service", key.service(), "id", i.id(), "attributes", new java.util.TreeMap<>(i.attributes())))));
        doc.put("instances", registered);
        return JSON.writeValueAsString(doc);
    }
}
