package dev.meshplane.api.importing;

/**
 * Choices an export needs.
 *
 * @param namespace the Kubernetes namespace the objects are written in
 * @param region the region written in ARNs (references to resources the export does not hold)
 * @param accountId the account written in ARNs
 */
public record ExportOptions(String namespace, String region, String accountId) {

    /** The ARN App Mesh gives a resource, as the importers read it back. */
    String arn(String mesh, String type, String name) {
        return "arn:aws:appmesh:" + region + ":" + accountId + ":mesh/" + mesh + "/" + type + "/" + name;
    }
}
