package dev.meshplane.snapshot;

/**
 * A proxy's configuration cannot be sent as the mesh describes it: its client would refuse it, or
 * would silently drop or merge part of it (two resources of one name with different content, a
 * route gRPC skips). The publisher keeps the proxy's last configuration and shows this message in
 * {@code /v1/proxies}.
 */
public final class UnservableConfigurationException extends IllegalStateException {

    /** {@code message} names the resources and what is wrong with them. */
    public UnservableConfigurationException(String message) {
        super(message);
    }
}
