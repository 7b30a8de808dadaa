package dev.meshplane.api.importing;

/**
 * Input an importer refuses. The message names the document (file and index within it), the field path in
 * that document's own terms and what is wrong, e.g. {@code mesh.yaml#2 (VirtualNode 'web'): spec.backends[0]
 * .virtualService.virtualServiceRef: no VirtualService 'api' in namespace 'shop' among the documents}.
 * Nothing is produced when one is thrown. A server that imports on request answers it as App Mesh's
 * {@code BadRequestException} with this message.
 */
public final class ImportException extends RuntimeException {

    public ImportException(String message) {
        super(message, null, false, false);
    }
}
