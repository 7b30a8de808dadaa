package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import org.junit.jupiter.api.Test;

/**
 * Certificates go only to proxies whose spec names a built-in secret in an SDS member, wherever it
 * is nested; the same text elsewhere in the spec does not count.
 */
class BuiltInSecretsTest {

    private static VirtualNodeSpec node(String json) {
        return AppMeshJson.mapper().readValue(json, VirtualNodeSpec.class);
    }

    @Test
    void anSdsMemberNamingABuiltInSecretCountsWhereverItIsNested() {
        assertThat(BuiltInSecrets.namesBuiltInSecret(node("""
                {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"},
                  "tls": {"mode": "STRICT", "certificate": {"sds": {"secretName": "meshplane:identity"}}}}]}"""))).isTrue();
        assertThat(BuiltInSecrets.namesBuiltInSecret(node("""
                {"backends": [{"virtualService": {"virtualServiceName": "users.mylearning.local", "clientPolicy": {"tls":
                  {"validation": {"trust": {"sds": {"secretName": "meshplane:trust"}}}}}}}]}"""))).isTrue();
        assertThat(BuiltInSecrets.namesBuiltInSecret(AppMeshJson.mapper().readValue("""
                {"listeners": [{"portMapping": {"port": 443, "protocol": "http"},
                  "tls": {"mode": "STRICT", "certificate": {"sds": {"secretName": "meshplane:identity"}}}}]}""",
                VirtualGatewaySpec.class))).isTrue();
    }

    @Test
    void otherSecretsAndTheSameTextElsewhereDoNot() {
        assertThat(BuiltInSecrets.namesBuiltInSecret(node("""
                {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"},
                  "tls": {"mode": "STRICT", "certificate": {"sds": {"secretName": "spire-svid"}}}}]}"""))).isFalse();
        assertThat(BuiltInSecrets.namesBuiltInSecret(node("""
                {"serviceDiscovery": {"awsCloudMap": {"namespaceName": "mylearning.local", "serviceName": "users",
                  "attributes": [{"key": "secret", "value": "meshplane:identity"}]}}}"""))).isFalse();
        assertThat(BuiltInSecrets.namesBuiltInSecret(null)).isFalse();
    }
}
