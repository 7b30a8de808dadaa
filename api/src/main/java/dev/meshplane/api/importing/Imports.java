package dev.meshplane.api.importing;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry point for every input format: each document is recognised as a CloudFormation template
 * ({@code Resources} or {@code AWSTemplateFormatVersion}), a Kubernetes object ({@code apiVersion}; all of them
 * are read together, so references cross files), App Mesh JSON ({@link AppMeshJsonFormat}) or an apply document
 * ({@code resources}, JSON or YAML, authorization policies included), and the results are joined into one document.
 */
public final class Imports {

    private Imports() {
    }

    /**
     * The apply document for the parsed documents of one or more files.
     *
     * @throws ImportException naming the document and field of whatever cannot be read, including a resource
     *         that two documents both give, and a document of no known format
     */
    public static ImportResult read(List<SourceDocument> documents, ImportOptions options) {
        List<SourceDocument> kubernetes = new ArrayList<>();
        ImportAssembly assembly = new ImportAssembly();
        for (SourceDocument document : documents) {
            var content = document.content();
            if (CloudFormationImporter.isTemplate(content)) {
                ImportResult result = CloudFormationImporter.importTemplate(document, options);
                addAll(assembly, result);
            } else if (content.isObject() && content.has("apiVersion")) {
                kubernetes.add(document);
            } else if (content.isObject() && content.has("resources")) {
                ApplyDocument read = ApplyDocument.fromJson(document.where(), content);
                read.resources().forEach(r -> assembly.add(r, document.where()));
                read.policies().forEach(p -> assembly.add(p, document.where()));
            } else if (AppMeshJsonFormat.isDescribeOutput(content)) {
                AppMeshJsonFormat.read(document).forEach(r -> assembly.add(r, document.where()));
            } else {
                throw new ImportException(document.where() + ": neither a CloudFormation template, a Kubernetes object"
                        + " (apiVersion, kind), App Mesh JSON (describe output) nor an apply document (resources)");
            }
        }
        if (!kubernetes.isEmpty()) {
            ImportResult result = KubernetesImporter.importDocuments(kubernetes, options);
            addAll(assembly, result);
        }
        return assembly.finish(options);
    }

    /** Adds an importer's resources, each with the document it was read from, and its report. */
    private static void addAll(ImportAssembly assembly, ImportResult result) {
        for (int i = 0; i < result.document().resources().size(); i++) {
            assembly.add(result.document().resources().get(i), result.sources().get(i));
        }
        result.report().forEach(assembly::report);
    }
}
