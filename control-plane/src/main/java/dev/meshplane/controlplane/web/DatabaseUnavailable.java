package dev.meshplane.controlplane.web;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

/** Tells a failure caused by the database being unreachable from every other failure. */
@Component
public class DatabaseUnavailable {

    private final DataSource dataSource;

    public DatabaseUnavailable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Was this failure the database's absence? Yes when the exception says so; and when it is some
     * other database failure (a connection that broke mid-transaction often surfaces only as a failed
     * rollback on a closed connection), when the database does not answer now.
     */
    public boolean explains(Throwable error) {
        if (causes(error)) {
            return true;
        }
        if (!involvesDatabase(error)) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return !connection.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    /** Is the database's absence somewhere in this exception's causes (without asking the database)? */
    public static boolean causes(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException || t instanceof ConnectException) {
                return true;
            }
            // SQLSTATE class 08: connection exceptions; 57P01-57P03: the server is shutting down or starting
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean involvesDatabase(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException
                    || t instanceof jakarta.persistence.PersistenceException
                    || t.getClass().getName().startsWith("org.hibernate.")) {
                return true;
            }
        }
        return false;
    }
}
