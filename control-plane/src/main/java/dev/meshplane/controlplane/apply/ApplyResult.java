package dev.meshplane.controlplane.apply;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer to {@code POST /v1/apply}: the plan, entry by entry in the order it is carried out
 * (creations and updates in dependency order, then deletions in reverse), and whether it was only
 * a dry run (nothing stored) or applied (all of it stored, in one transaction); and, for YAML or CloudFormation
 * input, the importers' notes (what was read differently from how it was written), else none.
 */
@Schema(description = "The plan of an apply: each resource created, updated (with its field changes), deleted or unchanged.")
public record ApplyResult(boolean dryRun, boolean prune, List<PlanEntry> plan,
        @Schema(description = "The import report, one line per note naming the document and field (YAML or"
                + " CloudFormation input only)") List<String> notes) {

    public ApplyResult {
        notes = List.copyOf(notes);
    }

    /** The same plan, with the import report's notes. */
    ApplyResult withNotes(List<String> importNotes) {
        return new ApplyResult(dryRun, prune, plan, importNotes);
    }
}
