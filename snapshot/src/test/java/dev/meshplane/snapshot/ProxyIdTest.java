package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node id forms of the App Mesh Envoy image's agent and of the Kubernetes injector, parsed alike. */
class ProxyIdTest {

    @Test
    void theOwnerAccountIsNotPartOfTheMeshName() {
        ProxyId expected = new ProxyId("prod", ProxyId.Kind.SIDECAR, "api");
        for (String id : new String[] {"mesh/prod/virtualNode/api", "mesh/prod@123456789012/virtualNode/api",
            "arn:aws:appmesh:us-east-1:123456789012:mesh/prod/virtualNode/api",
            "arn:aws-cn:appmesh:cn-north-1:123456789012:mesh/prod/virtualNode/api",
            "arn:aws-us-gov:appmesh:us-gov-west-1:123456789012:mesh/prod@123456789012/virtualNode/api"}) {
            assertThat(ProxyId.parse(id, false)).as(id).contains(expected);
        }
        assertThat(ProxyId.parse("mesh/prod@123456789012/virtualGateway/edge", false))
                .contains(new ProxyId("prod", ProxyId.Kind.GATEWAY, "edge"));
    }

    @Test
    void anOwnerOrRegionOtherThanTheServersIsAProblemNamingTheSetting() {
        assertThat(ProxyId.ownerProblem("mesh/prod/virtualNode/api", "us-east-1", "123456789012")).isNull();
        assertThat(ProxyId.ownerProblem("mesh/prod@123456789012/virtualNode/api", "us-east-1", "123456789012")).isNull();
        assertThat(ProxyId.ownerProblem("mesh/prod@210987654321/virtualNode/api", "us-east-1", "123456789012"))
                .contains("mesh owner 210987654321", "meshplane.appmesh.account-id");
        assertThat(ProxyId.ownerProblem("arn:aws:appmesh:us-east-1:210987654321:mesh/prod/virtualNode/api", "us-east-1",
                "123456789012")).contains("account 210987654321", "meshplane.appmesh.account-id");
        assertThat(ProxyId.ownerProblem("arn:aws:appmesh:eu-west-1:123456789012:mesh/prod/virtualNode/api", "us-east-1",
                "123456789012")).contains("region eu-west-1", "meshplane.appmesh.region");
    }

    @Test
    void anArnOfAnotherPartitionThanTheServersRegionIsAProblem() {
        // the same account and region in another partition named another App Mesh, and was served this server's mesh
        assertThat(ProxyId.ownerProblem("arn:aws-cn:appmesh:us-east-1:123456789012:mesh/prod/virtualNode/api", "us-east-1",
                "123456789012")).isEqualTo("its ARN's partition aws-cn is not aws, the partition of this server's region"
                        + " us-east-1 (meshplane.appmesh.region)");
        assertThat(ProxyId.ownerProblem("arn:aws:appmesh:cn-north-1:123456789012:mesh/prod/virtualNode/api", "cn-north-1",
                "123456789012")).contains("partition aws is not aws-cn");
        assertThat(ProxyId.ownerProblem("arn:aws-cn:appmesh:cn-north-1:123456789012:mesh/prod/virtualNode/api", "cn-north-1",
                "123456789012")).isNull();
        assertThat(ProxyId.ownerProblem("arn:aws-us-gov:appmesh:us-gov-west-1:123456789012:mesh/prod/virtualGateway/gw",
                "us-gov-west-1", "123456789012")).isNull();
        assertThat(ProxyId.ownerProblem("arn:aws-iso-b:appmesh:us-isob-east-1:123456789012:mesh/prod/virtualNode/api",
                "us-isob-east-1", "123456789012")).isNull();
    }

    @Test
    void whatNamesNoNodeOrGatewayIsNotAProxy() {
        for (String id : new String[] {"just-some-envoy", "mesh/prod/virtualRouter/r", "mesh//virtualNode/api",
            "arn:aws:ecs:us-west-2:123456789012:task-set/MyCluster/MyService/ecs-svc/1", "mesh/prod/virtualNode/api/extra"}) {
            assertThat(ProxyId.parse(id, false)).as(id).isEmpty();
        }
    }
}
