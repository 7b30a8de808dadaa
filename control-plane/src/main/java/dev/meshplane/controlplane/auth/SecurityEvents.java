package dev.meshplane.controlplane.auth;

import dev.meshplane.api.validation.TextRules;
import dev.meshplane.persistence.AuthStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>Refusals cost the caller nothing, so they are throttled ({@link AuditProperties}): in each
 * window, each kind of refusal by one caller (as named: {@code anonymous}, {@code bearer token},
 * a credential) on one mesh gets at most {@code refusals-per-caller} rows, and all refusals together
 * at most {@code refusals-per-window}; the others are counted ({@code meshplane_audit_throttled_total})
 * and, when the window ends, written as one {@code <action>} row per kind with actor
 * {@value #THROTTLED} saying how many and the last of them. The table then grows by a bounded number
 * of rows per window, whatever an anonymous caller sends. Client-supplied text (node ids, paths,
 * names) is written with its control characters escaped, in the rows and in the log.
 */
@Component
public class SecurityEvents implements DisposableBean {

    public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
    public static final String ACCESS_DENIED = "AccessDenied";
    public static final String XDS_STREAM_REFUSED = "XdsStreamRefused";
    public static final String XDS_STREAM_CUT_OFF = "XdsStreamCutOff";
    /** The actor of a row that stands for refusals not written one by one. */
    public static final String THROTTLED = "(throttled)";
    static final int QUEUE = 10_000;

    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    /** Refusals of one kind (on one mesh) left out of the current window: how many, and the last one. */
    private record Left(String action, int count, String mesh, String target, String detail) {
    }

    /** Summary rows per window at most, beyond one per kind. */
    static final int SUMMARIES = 100;

    private final AuthStore store;
    private final AuditProperties limits;
    private final Counter dropped;
    private final Counter throttled;
    private final ThreadPoolExecutor writer;
    private final ScheduledExecutorService windows;
    private final Map<String, Integer> writtenPerCaller = new HashMap<>();
    private final Map<String, Left> left = new LinkedHashMap<>();
    private int writtenInWindow;
    private Instant windowStart = Instant.now();

    public SecurityEvents(AuthStore store, MeterRegistry meters, AuditProperties limits) {
        this.store = store;
        this.limits = limits;
        this.dropped = Counter.builder("meshplane.audit.dropped")
                .description("Refusals that did not fit in the audit writer's queue (logged only)").register(meters);
        this.throttled = Counter.builder("meshplane.audit.throttled")
                .description("Refusals counted into a summary row instead of a row of their own").register(meters);
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
            Thread thread = new Thread(runnable, "meshplane-audit");
            thread.setDaemon(true);
            return thread;
        }, (runnable, executor) -> dropped.increment());
        this.windows = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meshplane-audit-window");
            thread.setDaemon(true);
            return thread;
        });
        long window = limits.refusalWindow().toMillis();
        windows.scheduleAtFixedRate(this::endWindow, window, window, TimeUnit.MILLISECONDS);
    }

    /** Records a refusal: who (as far as known), the action, the mesh (or null), what was asked, and why. */
    public void refused(String actor, String action, String meshName, String target, String detail) {
        String mesh = TextRules.printable(meshName);
        String who = TextRules.printable(actor);
        String what = TextRules.printable(target);
        String why = TextRules.printable(detail);
        synchronized (this) {
            // the budget is the caller's, whatever mesh it names (a caller names meshes at will); callers without
            // valid credentials share one per action, so inventing tokens, key ids or meshes earns no more rows and
            // cannot spend the window's budget that an authenticated caller's refusals need.
            // Past the window's budget no new caller key is remembered, so memory stays bounded too
            String caller = action.equals(AUTHENTICATION_FAILED) ? action : action + '\n' + who;
            boolean write = writtenInWindow < limits.refusalsPerWindow()
                    && writtenPerCaller.merge(caller, 1, Integer::sum) <= limits.refusalsPerCaller();
            if (!write) {
                // one summary per kind and mesh; past SUMMARIES of them, per kind only, so memory stays bounded
                String key = mesh == null ? action : action + '\n' + mesh;
                if (left.size() >= SUMMARIES && !left.containsKey(key)) {
                    key = action;
                }
                left.merge(key, new Left(action, 1, key.equals(action) ? null : mesh, what, why),
                        (old, last) -> new Left(action, old.count() + 1, old.mesh(), last.target(), last.detail()));
                throttled.increment();
                return;
            }
            writtenInWindow++;
        }
        write(who, action, mesh, what, why);
    }

    private void write(String actor, String action, String mesh, String target, String detail) {
        log.warn("{}: {} {} ({})", action, actor, target, detail);
        writer.execute(() -> {
            try {
                store.auditRefusal(actor, action, mesh, target, detail);
            } catch (RuntimeException e) {
                log.warn("Could not write an audit entry ({} {} {}): {}", action, actor, target, e.getMessage());
            }
        });
    }

    /** Writes one row per kind of refusal the window left out, and opens the next window. */
    void endWindow() {
        Map<String, Left> ended;
        Instant start;
        Instant end = Instant.now();
        synchronized (this) {
            ended = new LinkedHashMap<>(left);
            start = windowStart;
            left.clear();
            writtenPerCaller.clear();
            writtenInWindow = 0;
            windowStart = end;
        }
        ended.values().forEach(l -> write(THROTTLED, l.action(), l.mesh(), l.target(), l.count() + " more " + l.action()
                + " refusals from " + start + " to " + end + " were counted, not written one by one (meshplane.audit.refusals-per-caller: "
                + limits.refusalsPerCaller() + ", refusals-per-window: " + limits.refusalsPerWindow() + "); the last: " + l.detail()));
    }

    @Override
    public void destroy() throws InterruptedException {
        windows.shutdownNow();
        endWindow();
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
