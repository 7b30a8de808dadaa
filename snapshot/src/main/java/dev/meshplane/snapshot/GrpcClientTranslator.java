package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import dev.meshplane.api.model.Backend;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/**
 * Configuration for a proxyless gRPC client of a virtual node: for each backend virtual service,
 * API listeners named {@code <service>} and {@code <service>:<port>} (what {@code xds:///<service>}
 * asks for), a route configuration per port, and the clusters and endpoints of its targets.
 */
final class GrpcClientTranslator {

    private GrpcClientTranslator() {
    }

    static ProxyResources translate(TranslationMemo memo, String nodeName) {
        MeshView view = memo.view();
        VirtualNodeSpec node = view.virtualNodes().get(nodeName);
        ResourceCollector out = new ResourceCollector();
        if (node == null || node.backends() == null) {
            return out.build();
        }
        for (Backend backend : node.backends()) {
            if (backend.virtualService() == null) {
                continue;
            }
            String service = backend.virtualService().virtualServiceName();
            List<ServicePort> ports = memo.service(service);
            boolean first = true;
            for (ServicePort port : ports) {
                if (port.protocol() == PortProtocol.TCP) {
                    continue;
                }
                String name = service + ":" + port.port();
                for (RouteRule rule : port.routes()) {
                    for (Target target : rule.targets()) {
                        out.cluster(memo.cluster(target, true), memo.endpoints(target));
                    }
                }
                out.route(RouteConfiguration.newBuilder().setName(name)
                        .addVirtualHosts(memo.virtualHost(service, port, true)).build());
                out.listener(apiListener(name, name));
                if (first) {
                    out.listener(apiListener(service, name));
                    first = false;
                }
            }
        }
        return out.build();
    }

    private static Listener apiListener(String name, String routeConfig) {
        return Listener.newBuilder().setName(name)
                .setApiListener(ApiListener.newBuilder()
                        .setApiListener(Any.pack(HttpFilters.manager(name, routeConfig, List.of()))))
                .build();
    }
}
