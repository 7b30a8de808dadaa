package dev.meshplane.controlplane.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Whether this replica can reach its database, known in one place. A failure that
 * {@link DatabaseUnavailable#explains} marks it away ({@link #lost}); while it is away every
 * connection asked of the pool is refused at once ({@link GatedDataSource}), so requests answer 503
 * without waiting for the pool's connection-timeout, and a probe ({@code SELECT 1}, bounded by
 * {@link #PROBE_TIMEOUT}, every {@link #PROBE_INTERVAL}) marks it back ({@link #isAvailable}) as soon
 * as the database answers. Created by {@link DatabaseAvailabilityConfiguration}.
 */
public class DatabaseAvailability implements SmartLifecycle {

    /** How often the probe asks a database that is away. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** The longest the probe waits for an answer to its {@code SELECT 1}. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

    private final List<Runnable> returnListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** When the database was found away; null while it is available. */
    private volatile Instant awaySince;
    private volatile DataSource target;
    private volatile boolean running;
    private Thread probe;

    /** Is the database reachable, as far as this replica knows? */
    public boolean isAvailable() {
        return awaySince == null;
    }

    /** How long the database has been away; empty while it is available. */
    public Optional<Duration> awayFor() {
        Instant since = awaySince;
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, Instant.now()));
    }

    /**
     * Marks the database away because of {@code cause} (a failure {@link DatabaseUnavailable} explains)
     * and wakes the probe.
     *
     * @return true when this call found it available (the caller was the first to see the outage)
     */
    public boolean lost(Throwable cause) {
        synchronized (lock) {
            if (awaySince != null) {
                return false;
            }
            awaySince = Instant.now();
            lock.notifyAll();
        }
        log.warn("The database is unavailable ({}); API writes answer 503 at once, reads are answered from memory"
                + " where this replica holds them, until it answers again", cause.toString());
        return true;
    }

    /** Runs {@code listener} (on the probe's thread) each time the database answers again after being away. */
    public void onReturn(Runnable listener) {
        returnListeners.add(listener);
    }

    /** The pool the probe asks, behind the gate; set by {@link GatedDataSource}. */
    void target(DataSource dataSource) {
        this.target = dataSource;
    }

    /**
     * Starts first and stops last, so connections are bounded by {@link GatedDataSource} from the
     * first lifecycle bean on (Flyway and JPA, which start earlier, keep the driver's own socketTimeout).
     */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public void start() {
        running = true;
        probe = new Thread(this::probeWhileAway, "meshplane-database-probe");
        probe.setDaemon(true);
        probe.start();
    }

    @Override
    public void stop() {
        running = false;
        if (probe != null) {
            probe.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void probeWhileAway() {
        try {
            while (running) {
                synchronized (lock) {
                    while (running && awaySince == null) {
                        lock.wait();
                    }
                }
                if (answers()) {
                    Duration away = awayFor().orElse(Duration.ZERO);
                    awaySince = null;
                    log.info("The database answers again after {} s", away.toSeconds());
                    returnListeners.forEach(DatabaseAvailability::runQuietly);
                } else {
                    Thread.sleep(PROBE_INTERVAL.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One probe: a pooled connection (the pool waits up to its connection-timeout for one) and a {@code SELECT 1}. */
    private boolean answers() {
        DataSource pool = target;
        if (pool == null) {
            return false;
        }
        try (Connection connection = pool.getConnection()) {
            connection.setNetworkTimeout(Runnable::run, (int) PROBE_TIMEOUT.toMillis());
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            log.debug("Database probe failed: {}", e.toString());
            return false;
        }
    }

    private static void runQuietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("A listener for the database's return failed: {}", e.toString());
        }
    }
}
