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

    /** A certificate's URI SAN is ASCII (IA5String) and Envoy compares it byte for byte with the id it is sent. */
    @Test
    void aSpiffeIdIsAsciiWhateverTheNameHolds() {
        assertThat(BuiltInSecrets.spiffeId("prod", "virtualNode", "users-v1.2_x")).isEqualTo("spiffe://prod/virtualNode/users-v1.2_x");
        assertThat(BuiltInSecrets.spiffeId("prod mesh", "virtualGateway", "a b,ü%/"))
                .isEqualTo("spiffe://prod%20mesh/virtualGateway/a%20b,%C3%BC%25%2F");
        assertThat(BuiltInSecrets.spiffeId("prod mesh", "virtualNode", "n")).startsWith(BuiltInSecrets.meshSpiffePrefix("prod mesh"));
    }
}
