package dev.meshplane.api.importing;

import java.util.List;

/**
 * What an import produced: the apply document, and the report of what was read differently from how it was
 * written (selectors with no meaning outside Kubernetes, dropped ARNs, generated names, alternative spellings),
 * one line each naming the document and the field.
 */
public record ImportResult(ApplyDocument document, List<String> report) {

    public ImportResult {
        report = List.copyOf(report);
    }
}
