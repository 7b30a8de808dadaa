package dev.meshplane.api.importing;

import dev.meshplane.api.error.ApiException;

/**
 * Input an importer refuses. The message names the document (file and index within it), the field path in
 * that document's own terms and what is wrong, e.g. {@code mesh.yaml#2 (VirtualNode 'web'): spec.backends[0]
 * .virtualService.virtualServiceRef: no VirtualService 'api' in namespace 'shop' among the documents}.
 * Nothing is produced when one is thrown.
 */
public final class ImportException extends RuntimeException {

    public ImportException(String message) {
        super(message, null, false, false);
    }

    /** The same message as App Mesh's {@code BadRequestException}, for a server that imports on request. */
    public ApiException toApiException() {
        return ApiException.badRequest(getMessage());
    }
}
