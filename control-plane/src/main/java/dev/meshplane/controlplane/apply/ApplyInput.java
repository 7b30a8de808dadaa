package dev.meshplane.controlplane.apply;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.importing.CloudFormationImporter;
import dev.meshplane.api.importing.ImportException;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.ImportResult;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.SourceDocument;
import dev.meshplane.api.importing.YamlDocuments;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the body of {@code POST /v1/apply} in the format asked for: the apply document's JSON
 * ({@link ApplyRequestReader}), or, through the importers ({@link Imports}), {@code appmesh.k8s.aws/v1beta2}
 * YAML, CloudFormation templates (YAML or JSON) or anything the importers recognise ({@code auto}). Imported
 * resources are then read by the same {@link ApplyRequestReader} as a JSON document, so both paths validate
 * alike; a refusal names the imported document ({@code request body#2}) rather than a converted position.
 * The body's size is bounded before this by {@code meshplane.appmesh.max-request-bytes}, and YAML nesting by
 * {@link YamlDocuments}.
 */
final class ApplyInput {

    /** How the source documents are named in messages: {@code request body#0}, {@code request body#1}, ... */
    static final String SOURCE = "request body";

    /** The formats {@code format=} takes. */
    enum Format {
        JSON, K8S, CLOUDFORMATION, AUTO;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ApplyInput() {
    }

    /** What was read: the resources and policies to apply, and the import report's notes (none for JSON). */
    record Read(ApplyRequestReader.Contents contents, List<String> notes) {
    }

    /**
     * The format of a request: {@code format} when given, else {@code auto} for a YAML Content-Type
     * ({@code application/yaml}, {@code application/x-yaml}, {@code text/yaml}), else {@code json}.
     *
     * @throws ApiException BadRequestException naming {@code format} when it is none of json, k8s,
     *         cloudformation, auto
     */
    static Format format(String format, String contentType) {
        if (format != null) {
            return Arrays.stream(Format.values()).filter(f -> f.value().equals(format)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("format: '" + format
                            + "' is not one of json, k8s, cloudformation, auto"));
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/yaml") || type.equals("application/x-yaml") || type.equals("text/yaml")
                ? Format.AUTO : Format.JSON;
    }

    /**
     * The import options from the query parameters.
     *
     * @param acm        only {@code built-in} (ACM certificates become Meshplane's own CA's secrets), or null
     * @param parameters CloudFormation parameters, each {@code Key=Value}
     * @return the options, or null when none is given
     * @throws ApiException BadRequestException naming {@code acm} or {@code parameter} when malformed
     */
    static ImportOptions options(String mesh, String namespace, String acm, String router, List<String> parameters,
            String gateway) {
        if (mesh == null && namespace == null && acm == null && router == null && gateway == null
                && (parameters == null || parameters.isEmpty())) {
            return null;
        }
        if (acm != null && !acm.equals("built-in")) {
            throw ApiException.badRequest("acm: '" + acm + "' is not supported; the only value is built-in (ACM"
                    + " certificates and ACM Private CA trusts become Meshplane's own CA)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String parameter : parameters == null ? List.<String>of() : parameters) {
            int eq = parameter.indexOf('=');
            if (eq <= 0) {
                throw ApiException.badRequest("parameter: '" + parameter + "' is not Key=Value");
            }
            if (values.putIfAbsent(parameter.substring(0, eq), parameter.substring(eq + 1)) != null) {
                throw ApiException.badRequest("parameter: '" + parameter.substring(0, eq) + "' is given twice");
            }
        }
        return new ImportOptions(mesh, namespace, acm != null, router, values, gateway);
    }

    /**
     * Reads the body.
     *
     * @param options the import options the request gave, or null when it gave none (json takes none)
     * @throws ApiException BadRequestException: what {@link ApplyRequestReader#read} refuses; for the other
     *         formats also an {@link ImportException}'s message (document and field), a document not of the
     *         format asked for, import options given with format json, or a body holding no document
     */
    static Read read(byte[] body, Format format, ImportOptions options) {
        if (format == Format.JSON) {
            if (options != null) {
                throw ApiException.badRequest("format: the import options (acm, mesh, namespace, router, gateway,"
                        + " parameter) apply to format k8s, cloudformation or auto (or a YAML Content-Type), not json");
            }
            return new Read(ApplyRequestReader.read(body), List.of());
        }
        try {
            List<SourceDocument> documents = YamlDocuments.parse(SOURCE,
                    new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
            if (documents.isEmpty()) {
                throw ApiException.badRequest(SOURCE + ": holds no document");
            }
            documents.forEach(document -> checkFormat(document, format));
            ImportResult imported = Imports.read(documents, options == null ? ImportOptions.none() : options);
            byte[] json = imported.document().toJsonText().getBytes(StandardCharsets.UTF_8);
            return new Read(ApplyRequestReader.read(json, i -> imported.sources().get(i)), imported.report());
        } catch (ImportException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static void checkFormat(SourceDocument document, Format format) {
        var content = document.content();
        if (format == Format.K8S && !(content.isObject() && content.has("apiVersion") && content.has("kind"))) {
            throw ApiException.badRequest(document.where() + ": format=k8s takes Kubernetes objects (apiVersion,"
                    + " kind); this document is not one");
        }
        if (format == Format.CLOUDFORMATION && !CloudFormationImporter.isTemplate(content)) {
            throw ApiException.badRequest(document.where() + ": format=cloudformation takes CloudFormation templates"
                    + " (Resources); this document is not one");
        }
    }
}
