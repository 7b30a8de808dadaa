package dev.meshplane.controlplane.web;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's DataSource: the connection pool behind a gate. While {@link DatabaseAvailability}
 * says the database is away, {@link #getConnection()} throws {@link SQLTransientConnectionException}
 * at once instead of waiting for the pool's connection-timeout. A connection the pool finds broken
 * (Hikari's {@link SQLExceptionOverride} sees every SQLException of its connections) marks the database
 * away at that moment, when {@link DatabaseUnavailable#causes} says so. Once the application runs, each
 * connection handed out waits at most that same connection-timeout for any one answer of the
 * database (JDBC's network timeout; the pool resets it on return), so a query on a connection to a
 * database that froze fails within the documented time instead of hanging on its socket.
 */
public class GatedDataSource extends DelegatingDataSource implements Closeable {

    private final DatabaseAvailability availability;
    private final int answerTimeoutMillis;

    /**
     * @param pool the pool to guard (the timeout of its answers is its connection-timeout when it is
     *     Hikari, else 5 s)
     * @param availability where the database's availability is known
     */
    public GatedDataSource(DataSource pool, DatabaseAvailability availability) {
        super(pool);
        this.availability = availability;
        availability.target(pool);
        if (pool instanceof HikariDataSource hikari) {
            this.answerTimeoutMillis = (int) hikari.getConnectionTimeout();
            hikari.setExceptionOverride(new BrokenConnections(availability));
        } else {
            this.answerTimeoutMillis = 5000;
        }
    }

    /**
     * A pooled connection, bounded as the class says.
     *
     * @throws SQLTransientConnectionException at once while the database is away (SQLSTATE 08001)
     * @throws SQLException as the pool throws it otherwise
     */
    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileAway();
        return bounded(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileAway();
        return bounded(super.getConnection(username, password));
    }

    private void refuseWhileAway() throws SQLTransientConnectionException {
        if (!availability.isAvailable()) {
            throw new SQLTransientConnectionException("the database is unavailable (for "
                    + availability.awayFor().map(java.time.Duration::toSeconds).orElse(0L) + " s)", "08001");
        }
    }

    private Connection bounded(Connection connection) throws SQLException {
        if (availability.isRunning()) {
            try {
                connection.setNetworkTimeout(Runnable::run, answerTimeoutMillis);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /** Closes the pool with the application (the bean's destroy method). */
    @Override
    public void close() {
        if (getTargetDataSource() instanceof Closeable pool) {
            try {
                pool.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Hears of every failure of a pooled connection; evicting stays the pool's own decision. */
    private record BrokenConnections(DatabaseAvailability availability) implements SQLExceptionOverride {
        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            if (DatabaseUnavailable.causes(e)) {
                availability.lost(e);
            }
            return SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }
}
