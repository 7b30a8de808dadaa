package dev.meshplane.controlplane.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many refusals the audit log takes one by one (see {@link SecurityEvents}); the rest of a
 * window is counted and written as one row per kind when the window ends.
 *
 * @param refusalWindow      the window
 * @param refusalsPerCaller  rows per window for one kind of refusal, one caller (as the row names it) and one mesh
 * @param refusalsPerWindow  rows per window for all refusals together, whoever the callers claim to be
 */
@ConfigurationProperties("meshplane.audit")
public record AuditProperties(@DefaultValue("1m") Duration refusalWindow, @DefaultValue("10") int refusalsPerCaller,
        @DefaultValue("200") int refusalsPerWindow) {

    public AuditProperties {
        if (refusalWindow.compareTo(Duration.ofSeconds(1)) < 0 || refusalsPerCaller < 1 || refusalsPerWindow < refusalsPerCaller) {
            throw new IllegalArgumentException("meshplane.audit: refusal-window must be at least 1s, refusals-per-caller at"
                    + " least 1 and refusals-per-window at least refusals-per-caller; got " + this);
        }
    }
}
