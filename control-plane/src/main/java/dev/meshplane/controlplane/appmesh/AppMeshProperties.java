package dev.meshplane.controlplane.appmesh;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this server presents itself in App Mesh identifiers.
 *
 * @param region    the region written into ARNs
 * @param accountId the 12-digit account written into ARNs and as mesh and resource owner
 * @param maxRequestBytes largest request body accepted
 */
@ConfigurationProperties("meshplane.appmesh")
public record AppMeshProperties(
        @DefaultValue("us-east-1") String region,
        @DefaultValue("123456789012") String accountId,
        @DefaultValue("1048576") int maxRequestBytes) {

    public AppMeshProperties {
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("meshplane.appmesh.account-id must be 12 digits, got '" + accountId + "'");
        }
    }
}
