package dev.meshplane.controlplane.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Chooses one replica, among all those on the same PostgreSQL, to run the jobs that must run once
 * (expiring registry instances whose TTL ran out). The leader holds a session-level advisory lock
 * on a connection of its own; PostgreSQL releases it when that session ends, so a leader that stops,
 * crashes or loses its database connection hands the role over within one check interval.
 *
 * <p>During a network partition PostgreSQL may keep the old session (and its lock) until it notices
 * the connection is gone; the jobs under this election are idempotent, so a short overlap is harmless.
 */
@Component
public class LeaderElection implements SmartLifecycle {

    /** The advisory lock's key: "meshplane" in ASCII, as a 64-bit number. */
    static final long LOCK_KEY = 0x6d657368706c616eL;

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /**
     * @param checkInterval how often a follower tries to become leader and a leader checks its session
     */
    @ConfigurationProperties("meshplane.leader")
    public record Properties(@DefaultValue("2s") Duration checkInterval) {
    }

    private final DataSource dataSource;
    private final Duration interval;
    private volatile boolean leader;
    private volatile boolean running;
    private Connection session;
    private Thread thread;

    public LeaderElection(DataSource dataSource, Properties properties, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.interval = properties.checkInterval();
        Gauge.builder("meshplane.leader", this, e -> e.leader ? 1 : 0)
                .description("1 on the replica that runs the jobs that must run once, 0 elsewhere")
                .register(meters);
    }

    /** Does this replica run the jobs that must run once? */
    public boolean isLeader() {
        return leader;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "meshplane-leader-election");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            check();
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: a follower tries to take the lock; a leader makes sure its session still lives. */
    synchronized void check() {
        try {
            if (session == null) {
                session = dataSource.getConnection();
                session.setAutoCommit(true);
            }
            try (Statement statement = session.createStatement()) {
                if (leader) {
                    statement.execute("SELECT 1");
                } else {
                    try (ResultSet result = statement.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                        if (result.next() && result.getBoolean(1)) {
                            leader = true;
                            log.info("This replica is now the leader (it runs instance expiry)");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            if (leader) {
                log.warn("Leadership lost with the database session: {}", e.getMessage());
            }
            leader = false;
            abortSession();
        }
    }

    /** Ends the session for good (not back into the pool, where it would keep the lock). */
    private void abortSession() {
        if (session != null) {
            try {
                session.abort(Runnable::run);
            } catch (SQLException ignored) {
                // the session is gone already
            }
            session = null;
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (leader) {
            log.info("Giving up leadership");
        }
        if (session != null) {
            try (Statement statement = session.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException ignored) {
                // the session is gone, and the lock with it
            }
        }
        leader = false;
        abortSession();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
