package dev.meshplane.controlplane.web;

import dev.meshplane.api.error.ApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * A read that the database answers while it is available, and this replica's memory while it is
 * away (see docs/operations.md, "When the database is away"). An answer from memory is marked
 * {@link StaleAnswer}; with none, the read fails at once as the database's absence (503).
 */
@Component
public class ReadsWhileAway {

    private final DatabaseAvailability availability;
    private final DatabaseUnavailable unavailable;

    public ReadsWhileAway(DatabaseAvailability availability, DatabaseUnavailable unavailable) {
        this.availability = availability;
        this.unavailable = unavailable;
    }

    /**
     * @param fromDatabase the read itself; its {@link ApiException}s and other failures pass through
     * @param fromMemory what this replica holds for the same read, if anything
     * @param what the read, for the 503's log line
     * @return the database's answer, or while it is away (or the read fails for its absence) the memory's
     * @throws DataAccessResourceFailureException when the database is away and memory holds nothing (503)
     */
    public <T> T read(Supplier<T> fromDatabase, Supplier<Optional<T>> fromMemory, String what) {
        RuntimeException failure = null;
        if (availability.isAvailable()) {
            try {
                return fromDatabase.get();
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                if (!unavailable.explains(e)) {
                    throw e;
                }
                availability.lost(e);
                failure = e;
            }
        }
        Optional<T> kept = fromMemory.get();
        if (kept.isEmpty()) {
            throw failure != null ? failure : new DataAccessResourceFailureException(
                    "the database is unavailable and this replica holds no answer to " + what);
        }
        StaleAnswer.mark(availability.awayFor().orElse(Duration.ZERO));
        return kept.get();
    }
}
