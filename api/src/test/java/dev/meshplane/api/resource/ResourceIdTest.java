package dev.meshplane.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.error.ErrorCode;
import org.junit.jupiter.api.Test;

class ResourceIdTest {

    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "123456789012";

    @Test
    void writesArnsAsAppMeshDoes() {
        assertThat(ResourceId.mesh("apps").arn(REGION, ACCOUNT)).isEqualTo("arn:aws:appmesh:us-east-1:123456789012:mesh/apps");
        assertThat(ResourceId.of(ResourceKind.VIRTUAL_NODE, "apps", "b-v1").arn(REGION, ACCOUNT))
                .isEqualTo("arn:aws:appmesh:us-east-1:123456789012:mesh/apps/virtualNode/b-v1");
        assertThat(new ResourceId(ResourceKind.ROUTE, "apps", "b", "r").arn(REGION, ACCOUNT))
                .isEqualTo("arn:aws:appmesh:us-east-1:123456789012:mesh/apps/virtualRouter/b/route/r");
        assertThat(new ResourceId(ResourceKind.GATEWAY_ROUTE, "apps", "gw", "r").arn(REGION, ACCOUNT))
                .isEqualTo("arn:aws:appmesh:us-east-1:123456789012:mesh/apps/virtualGateway/gw/gatewayRoute/r");
    }

    @Test
    void parsesEveryKindBack() {
        for (ResourceKind kind : ResourceKind.values()) {
            ResourceId id = kind == ResourceKind.MESH ? ResourceId.mesh("m")
                    : new ResourceId(kind, "m", kind.parent() == null ? "" : "p", "n");
            assertThat(ResourceId.parseArn(id.arn(REGION, ACCOUNT), REGION, ACCOUNT)).isEqualTo(id);
        }
    }

    /** Issue 12, example 13: the quota message read "already has 15 meshs". */
    @Test
    void namesSeveralOfEveryKindInEnglish() {
        assertThat(java.util.Arrays.stream(ResourceKind.values()).map(ResourceKind::pluralName)).containsExactly(
                "meshes", "virtual services", "virtual nodes", "virtual routers", "routes", "virtual gateways",
                "gateway routes");
    }

    @Test
    void refusesArnsOfOtherAccountsAndShapes() {
        assertThatThrownBy(() -> ResourceId.parseArn("arn:aws:appmesh:us-east-1:999999999999:mesh/m", REGION, ACCOUNT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> ResourceId.parseArn("arn:aws:appmesh:us-east-1:123456789012:mesh/m/route/r", REGION, ACCOUNT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> ResourceId.parseArn("arn:aws:appmesh:us-east-1:123456789012:mesh/m/virtualNode/", REGION, ACCOUNT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }
}
