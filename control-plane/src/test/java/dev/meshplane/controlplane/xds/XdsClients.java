package dev.meshplane.controlplane.xds;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.grpc.xds.XdsNameResolverProvider;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.json.JsonMapper;

/** grpc-java xDS clients for the tests: a channel per bootstrap, one call, and waiting for a condition. */
final class XdsClients {

    private XdsClients() {
    }

    /**
     * A channel whose xDS client reads the given bootstrap. grpc-java reads its default bootstrap
     * once per JVM, so each client gets a resolver of its own, under a scheme of its own, with the
     * bootstrap handed over directly; the target path is what it asks for over xDS.
     */
    static ManagedChannel xdsChannel(String bootstrap, String serviceAndPort) {
        return xdsChannel(bootstrap, serviceAndPort, InsecureChannelCredentials.create());
    }

    /** The same with other channel credentials: {@code XdsChannelCredentials} for mTLS from the xDS configuration. */
    @SuppressWarnings("unchecked")
    static ManagedChannel xdsChannel(String bootstrap, String serviceAndPort, io.grpc.ChannelCredentials credentials) {
        String scheme = "xds-test-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, ?> config = JsonMapper.builder().build().readValue(bootstrap, Map.class);
        NameResolverRegistry.getDefaultRegistry().register(XdsNameResolverProvider.createForTest(scheme, config));
        return Grpc.newChannelBuilder(scheme + ":///" + serviceAndPort, credentials).build();
    }

    /** One unary call; the answer is the name of the backend that served it. */
    static String call(ManagedChannel channel) {
        return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build()).getResponseMessage();
    }

    /** One call, or null if it failed. */
    static String tryCall(ManagedChannel channel) {
        try {
            return call(channel);
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    /** Polls until the condition holds or the time is up; returns whether it held. */
    static boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
