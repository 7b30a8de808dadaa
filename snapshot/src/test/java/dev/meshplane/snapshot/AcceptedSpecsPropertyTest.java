package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 12, the systemic part: whatever the API accepts, every consumer accepts. Random meshes of accepted
 * resources ({@link AcceptedSpecs}) are translated for every sidecar, proxyless gRPC client and gateway; the
 * translation must not throw (except {@link UnservableConfigurationException} for the documented cases, which
 * {@code /v1/proxies} reports), and every resource must pass Envoy's PGV and config-load rules
 * ({@link EnvoyValidator}) and, for gRPC clients, gRPC's ({@link GrpcClientRules}).
 *
 * <p>The seed is fixed so CI sees the same meshes each run; the number of meshes is jqwik's default tries
 * ({@code src/test/resources/junit-platform.properties}), raised for a longer search with
 * {@code -Djqwik.tries.default=50000}. docs/xds.md has the figures of the last long run.
 */
class AcceptedSpecsPropertyTest {

    /** TCP backends cannot be told apart on one port (SidecarTranslator; docs/xds.md, "Nothing is merged"). */
    private static final Pattern SHARED_PORT = Pattern.compile(
            "^backends (\\(HTTP\\) \\[[^]]*] and )?\\(TCP\\) \\[[^]]*] of this node share port \\d+.*", Pattern.DOTALL);
    /** What GrpcClientRules reports instead of sending (docs/xds.md, the gRPC rules table): these are documented. */
    private static final Pattern GRPC_DOCUMENTED = Pattern.compile(
            "route configuration [^;]*?, virtual host [^;]*?, route [^;]*?: (matches query parameters, which gRPC clients"
            + " skip \\(the route would be dropped\\)|has action DIRECT_RESPONSE; gRPC clients accept only a route to"
            + " clusters \\(no target with a weight above 0 leaves nothing to send a gRPC client\\))");
    private static final String GRPC_PREFIX = "gRPC clients would reject or skip this configuration: ";

    @Provide
    Arbitrary<AcceptedSpecs.Case> meshes() {
        return Arbitraries.randomValue(AcceptedSpecs::generate);
    }

    @Property(seed = "20261130", shrinking = ShrinkingMode.OFF)
    void everyAcceptedMeshIsServedToEveryProxy(@ForAll("meshes") AcceptedSpecs.Case mesh) {
        TranslationMemo memo = new TranslationMemo(mesh.view());
        // as the publisher does: proxies of one mesh share message instances, checked once
        Set<Message> checked = Collections.newSetFromMap(new IdentityHashMap<>());
        EnvoyValidator.KnownValid known = new EnvoyValidator.KnownValid() {
            @Override
            public boolean contains(Message message) {
                return checked.contains(message);
            }

            @Override
            public void add(Message message) {
                checked.add(message);
            }
        };
        List<ProxyId> proxies = new ArrayList<>();
        mesh.view().virtualNodes().keySet().forEach(n -> {
            proxies.add(new ProxyId(mesh.view().mesh(), ProxyId.Kind.SIDECAR, n));
            proxies.add(new ProxyId(mesh.view().mesh(), ProxyId.Kind.GRPC_CLIENT, n));
        });
        mesh.view().virtualGateways().keySet().forEach(g -> proxies.add(new ProxyId(mesh.view().mesh(),
                ProxyId.Kind.GATEWAY, g)));
        Statistics.label("API refusals on the way").collect(Math.min(mesh.refused().size(), 5)
                + (mesh.refused().size() >= 5 ? "+" : ""));
        for (ProxyId proxy : proxies) {
            ProxyResources resources;
            try {
                resources = MeshTranslator.translate(memo, proxy);
            } catch (UnservableConfigurationException e) {
                assertThat(documented(e.getMessage())).as("%s: an undocumented refusal: %s", proxy, e.getMessage()).isTrue();
                Statistics.label("proxies").collect(proxy.kind() + " reported unservable (documented)");
                continue;
            }
            assertThat(envoyViolations(resources, known)).as("%s: Envoy's rules", proxy).isEmpty();
            if (proxy.kind() == ProxyId.Kind.GRPC_CLIENT) {
                assertThat(GrpcClientRules.validate(resources)).as("%s: gRPC's rules", proxy).isEmpty();
            }
            Statistics.label("proxies").collect(proxy.kind() + " served");
        }
    }

    /** EnvoyValidator's violations of every resource, each prefixed with its type and name. */
    private static List<String> envoyViolations(ProxyResources resources, EnvoyValidator.KnownValid known) {
        List<Message> messages = new ArrayList<>();
        messages.addAll(resources.clusters());
        messages.addAll(resources.endpoints());
        messages.addAll(resources.listeners());
        messages.addAll(resources.routes());
        List<String> all = new ArrayList<>();
        for (Message message : messages) {
            var type = message.getDescriptorForType();
            var name = type.findFieldByName(type.findFieldByName("name") != null ? "name" : "cluster_name");
            EnvoyValidator.validate(message, known).forEach(v -> all.add(type.getName() + " " + message.getField(name)
                    + ": " + v));
        }
        return all;
    }

    /** The allowance is narrow: a name collision (a translation bug) or another gRPC rule is not documented. */
    @Example
    void onlyTheDocumentedRefusalsAreAllowed() {
        assertThat(documented("backends (TCP) [a.local, b.local] of this node share port 5432: Envoy cannot tell")).isTrue();
        assertThat(documented(GRPC_PREFIX + "route configuration s:80, virtual host s, route r: matches query parameters,"
                + " which gRPC clients skip (the route would be dropped)")).isTrue();
        assertThat(documented("two different clusters are named 'c'")).isFalse();
        assertThat(documented(GRPC_PREFIX + "route configuration s:80, virtual host s, route r: matches query parameters,"
                + " which gRPC clients skip (the route would be dropped); cluster c: discovery type STRICT_DNS is refused"
                + " by gRPC clients (EDS or LOGICAL_DNS only)")).isFalse();
    }

    /** Whether an unservable report is one of the documented kinds. */
    static boolean documented(String message) {
        if (SHARED_PORT.matcher(message).matches()) {
            return true;
        }
        if (!message.startsWith(GRPC_PREFIX)) {
            return false;
        }
        String rest = GRPC_DOCUMENTED.matcher(message.substring(GRPC_PREFIX.length())).replaceAll("");
        return rest.replace(";", "").isBlank();
    }
}
