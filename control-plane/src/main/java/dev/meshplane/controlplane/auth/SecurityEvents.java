package dev.meshplane.controlplane.auth;

import dev.meshplane.persistence.AuthStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Refusals in the audit log: API calls refused for want of valid credentials
 * ({@value #AUTHENTICATION_FAILED}) or of a role ({@value #ACCESS_DENIED}), xDS streams refused
 * ({@value #XDS_STREAM_REFUSED}) or cut off when their credential was revoked or expired
 * ({@value #XDS_STREAM_CUT_OFF}). Nothing was changed, so there is no transaction to join: entries
 * are written by one background writer, never slowing the refusal or failing it when the database
 * is away. Its queue is bounded (a flood of bad requests cannot exhaust memory); entries that do
 * not fit are counted in {@code meshplane_audit_dropped_total} and still logged.
 */
@Component
public class SecurityEvents implements DisposableBean {

    public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
    public static final String ACCESS_DENIED = "AccessDenied";
    public static final String XDS_STREAM_REFUSED = "XdsStreamRefused";
    public static final String XDS_STREAM_CUT_OFF = "XdsStreamCutOff";
    static final int QUEUE = 10_000;

    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    private final AuthStore store;
    private final Counter dropped;
    private final ThreadPoolExecutor writer;

    public SecurityEvents(AuthStore store, MeterRegistry meters) {
        this.store = store;
        this.dropped = Counter.builder("meshplane.audit.dropped")
                .description("Refusals that did not fit in the audit writer's queue (logged only)").register(meters);
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
            Thread thread = new Thread(runnable, "meshplane-audit");
            thread.setDaemon(true);
            return thread;
        }, (runnable, executor) -> dropped.increment());
    }

    /** Records a refusal: who (as far as known), the action, the mesh (or null), what was asked, and why. */
    public void refused(String actor, String action, String mesh, String target, String detail) {
        log.warn("{}: {} {} ({})", action, actor, target, detail);
        writer.execute(() -> {
            try {
                store.auditRefusal(actor, action, mesh, target, detail);
            } catch (RuntimeException e) {
                log.warn("Could not write an audit entry ({} {} {}): {}", action, actor, target, e.getMessage());
            }
        });
    }

    @Override
    public void destroy() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
