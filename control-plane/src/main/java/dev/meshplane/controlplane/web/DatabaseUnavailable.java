package dev.meshplane.controlplane.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Tells a failure caused by the database being unreachable from every other failure. */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /** Is the database's absence somewhere in this exception's causes? */
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
}
