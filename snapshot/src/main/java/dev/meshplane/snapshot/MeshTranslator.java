package dev.meshplane.snapshot;

/**
 * Translates one mesh into the Envoy resources of one proxy. Pure: a mesh view and a proxy id in,
 * resources out; no I/O, no state, safe to call from any thread.
 */
public final class MeshTranslator {

    private MeshTranslator() {
    }

    public static ProxyResources translate(MeshView view, ProxyId proxy) {
        if (!view.mesh().equals(proxy.mesh())) {
            throw new IllegalArgumentException("proxy " + proxy + " is not in mesh " + view.mesh());
        }
        return switch (proxy.kind()) {
            case SIDECAR -> SidecarTranslator.translate(view, proxy.name());
            case GRPC_CLIENT -> GrpcClientTranslator.translate(view, proxy.name());
            case GATEWAY -> GatewayTranslator.translate(view, proxy.name());
        };
    }
}
