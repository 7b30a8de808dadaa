package dev.meshplane.snapshot;

/**
 * Translates one mesh into the Envoy resources of one proxy. Pure: a mesh view and a proxy id in,
 * resources out; no I/O, no state, safe to call from any thread.
 */
public final class MeshTranslator {

    private MeshTranslator() {
    }

    public static ProxyResources translate(MeshView view, ProxyId proxy) {
        return translate(new TranslationMemo(view), proxy);
    }

    /** Translates with a memo shared by every proxy of one mesh view, so shared parts are built once. */
    public static ProxyResources translate(TranslationMemo memo, ProxyId proxy) {
        MeshView view = memo.view();
        if (!view.mesh().equals(proxy.mesh())) {
            throw new IllegalArgumentException("proxy " + proxy + " is not in mesh " + view.mesh());
        }
        return switch (proxy.kind()) {
            case SIDECAR -> SidecarTranslator.translate(memo, proxy.name());
            case GRPC_CLIENT -> GrpcClientTranslator.translate(memo, proxy.name());
            case GATEWAY -> GatewayTranslator.translate(memo, proxy.name());
        };
    }
}
