package dev.meshplane.controlplane.auth;

import dev.meshplane.persistence.AuthStore;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the audit log: who (the request's principal), when, what, and the version before and
 * after, in the same transaction as the change, so there is no change without its entry and no
 * entry for a change that was rolled back. (Callers refused at the door are recorded by
 * {@link SecurityEvents}.)
 */
@Component
public class Auditor {

    /** What one entry says about a change. */
    public record Entry(String action, String mesh, String target, Long versionBefore, Long versionAfter, String detail) {
    }

    private final AuthStore store;
    private final TransactionTemplate transactions;

    public Auditor(AuthStore store, PlatformTransactionManager transactions) {
        this.store = store;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** Runs the write and records its entry, together. */
    public <T> T write(Supplier<T> write, Function<T, Entry> describe) {
        return transactions.execute(status -> {
            T result = write.get();
            Entry entry = describe.apply(result);
            store.audit(CurrentPrincipal.get().actor(), entry.action(), entry.mesh(), entry.target(), entry.versionBefore(),
                    entry.versionAfter(), entry.detail());
            return result;
        });
    }

    public void write(Runnable write, Entry entry) {
        write(() -> {
            write.run();
            return null;
        }, ignored -> entry);
    }
}
