package dev.meshplane.api.importing;

import java.util.List;

/**
 * What an import produced: the apply document, and the report of what was read differently from how it was
 * written (selectors with no meaning outside Kubernetes, dropped ARNs, generated names, alternative spellings),
 * one line each naming the document and the field; and for each item of the document's {@code resources} array (its
 * resources, then its policies), in its order, the document it was read from ({@code file#index}), so that a later refusal can name what the user wrote.
 */
public record ImportResult(ApplyDocument document, List<String> report, List<String> sources) {

    public ImportResult {
        report = List.copyOf(report);
        sources = List.copyOf(sources);
        if (sources.size() != document.size()) {
            throw new IllegalArgumentException("one source per resource is needed");
        }
    }
}
