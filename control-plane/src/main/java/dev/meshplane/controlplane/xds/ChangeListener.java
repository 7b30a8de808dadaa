package dev.meshplane.controlplane.xds;

import dev.meshplane.controlplane.appmesh.RememberedReads;
import dev.meshplane.controlplane.web.DatabaseAvailability;
import dev.meshplane.controlplane.web.DatabaseUnavailable;
import dev.meshplane.persistence.RegistryStore;
import dev.meshplane.persistence.ResourceStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * LISTENs to the store's change notifications on a connection of its own and hands them to the
 * publisher and to the App Mesh reads kept for outages ({@link RememberedReads}). When the connection
 * breaks it reconnects and asks for a full resync (and drops the kept reads), since notifications sent
 * meanwhile are lost; so it does when the database returns after {@link DatabaseAvailability} found it
 * away, since a connection that survived a partition may have missed some too. Waiting for notifications
 * never blocks longer than one poll, so a database that froze does not hang this thread.
 */
@Component
public class ChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);

    private final DataSource dataSource;
    private final ConfigPublisher publisher;
    private final PublisherMetrics metrics;
    private final RememberedReads remembered;
    private final DatabaseAvailability availability;
    private volatile boolean running;
    private Thread thread;

    public ChangeListener(DataSource dataSource, ConfigPublisher publisher, PublisherMetrics metrics,
            RememberedReads remembered, DatabaseAvailability availability) {
        this.metrics = metrics;
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.remembered = remembered;
        this.availability = availability;
        availability.onReturn(() -> {
            remembered.forgetAll();
            publisher.resyncAll();
        });
    }

    /**
     * Starts before the xDS server and stops after it: proxies still connected to a replica that is
     * draining keep receiving changes until their stream is closed.
     */
    @Override
    public int getPhase() {
        return XdsServer.PHASE - 1;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "meshplane-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean first = true;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + ResourceStore.CHANNEL);
                    statement.execute("LISTEN " + RegistryStore.CHANNEL);
                }
                if (!first) {
                    remembered.forgetAll();
                    publisher.resyncAll();
                }
                first = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(250);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        // payload: what changed, then '|' and the sender's clock in epoch milliseconds
                        String payload = notification.getParameter();
                        int bar = payload.lastIndexOf('|');
                        String subject = bar < 0 ? payload : payload.substring(0, bar);
                        long sentAt = bar < 0 ? 0 : parseMillis(payload.substring(bar + 1));
                        if (sentAt > 0) {
                            metrics.notificationLag(notification.getName(), System.currentTimeMillis() - sentAt);
                        }
                        if (ResourceStore.CHANNEL.equals(notification.getName())) {
                            remembered.meshChanged(subject);
                            publisher.meshChanged(subject, sentAt);
                        } else {
                            publisher.registryChanged(subject, sentAt);
                        }
                    }
                }
            } catch (SQLException e) {
                if (running && DatabaseUnavailable.causes(e)) {
                    availability.lost(e);
                }
                if (running) {
                    log.warn("Change notifications interrupted ({}); reconnecting", e.getMessage());
                    pause();
                }
            }
        }
    }

    private static long parseMillis(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
