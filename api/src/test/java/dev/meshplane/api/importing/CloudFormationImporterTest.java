package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.meshplane.api.model.TagRef;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFormationImporterTest {

    private static final Map<String, String> PARAMETERS = Map.of("Environment", "prod", "AWS::Region", "eu-west-1",
            "AWS::AccountId", "111122223333");

    private static ImportResult importTemplate(String text, ImportOptions options) {
        return CloudFormationImporter.importTemplate(YamlDocuments.parse("stack.yaml", text).get(0), options);
    }

    private static ApplyResource find(ImportResult result, ResourceKind kind, String name) {
        return result.document().resources().stream().filter(r -> r.kind() == kind && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + result.document().toJsonText()));
    }

    @Test
    void aCdkShapedTemplateImportsWithItsIntrinsicsResolved() {
        ImportResult result = importTemplate(ImportFixtures.text("cdk-stack.yaml"),
                new ImportOptions(null, null, true, null, PARAMETERS, null));

        ApplyResource mesh = find(result, ResourceKind.MESH, "mylearning");
        assertThat(mesh.spec().at("/egressFilter/type").asString()).isEqualTo("DROP_ALL");
        assertThat(mesh.tags()).containsExactly(new TagRef("environment", "prod"));

        ApplyResource node = find(result, ResourceKind.VIRTUAL_NODE, "course-service-v1-prod");
        assertThat(node.meshName()).isEqualTo("mylearning");
        assertThat(node.spec().at("/listeners/0/portMapping/port").isIntegralNumber()).isTrue();
        assertThat(node.spec().at("/listeners/0/portMapping/port").asInt()).isEqualTo(8080);
        assertThat(node.spec().at("/listeners/0/tls/certificate/sds/secretName").asString()).isEqualTo("meshplane:identity");
        assertThat(node.spec().at("/listeners/0/timeout/http/perRequest/value").asLong()).isEqualTo(5000);
        assertThat(node.spec().at("/serviceDiscovery/awsCloudMap/namespaceName").asString()).isEqualTo("mylearning.local");
        assertThat(node.spec().at("/backends/0/virtualService/virtualServiceName").asString())
                .isEqualTo("notification-service.mylearning.local");

        ApplyResource route = find(result, ResourceKind.ROUTE, "default");
        assertThat(route.parentName()).isEqualTo("course-router");
        assertThat(route.spec().at("/httpRoute/action/weightedTargets/0/virtualNode").asString()).isEqualTo("course-service-v1-prod");

        ApplyResource service = find(result, ResourceKind.VIRTUAL_SERVICE, "course-service.mylearning.local");
        assertThat(service.spec().at("/provider/virtualRouter/virtualRouterName").asString()).isEqualTo("course-router");

        assertThat(result.document().resources()).hasSize(6);
        assertThat(result.report()).anyMatch(line -> line.contains("Resources.TaskRole") && line.contains("AWS::IAM::Role"));
    }

    @Test
    void aParameterWithoutValueNamesTheResourceAndPath() {
        assertThatThrownBy(() -> importTemplate(ImportFixtures.text("cdk-stack.yaml"),
                new ImportOptions(null, null, true, null, Map.of("AWS::Region", "eu-west-1", "AWS::AccountId", "1"), null)))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("stack.yaml#0 Resources.Mesh.Properties.Tags[0].Value.Ref")
                .hasMessageContaining("'Environment' has no Default");
    }

    @Test
    void anIntrinsicThatCannotBeResolvedNamesTheResourceAndPath() {
        String template = """
                Resources:
                  Node:
                    Type: AWS::AppMesh::VirtualNode
                    Properties:
                      MeshName: !ImportValue shared-mesh
                      VirtualNodeName: web
                """;
        assertThatThrownBy(() -> importTemplate(template, ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("stack.yaml#0 Resources.Node.Properties.MeshName.Fn::ImportValue: Fn::ImportValue cannot be resolved");
    }

    @Test
    void getAttOfAMissingResourceOrAnUnknownAttributeIsRefused() {
        String missing = """
                Resources:
                  Node:
                    Type: AWS::AppMesh::VirtualNode
                    Properties:
                      MeshName: !GetAtt Mesh.MeshName
                      VirtualNodeName: web
                """;
        assertThatThrownBy(() -> importTemplate(missing, ImportOptions.none()))
                .hasMessageContaining("Resources.Node.Properties.MeshName.Fn::GetAtt: no resource 'Mesh' in the template");
        String uid = """
                Resources:
                  Mesh:
                    Type: AWS::AppMesh::Mesh
                    Properties: {MeshName: m}
                  Node:
                    Type: AWS::AppMesh::VirtualNode
                    Properties:
                      MeshName: !GetAtt Mesh.Uid
                      VirtualNodeName: web
                """;
        assertThatThrownBy(() -> importTemplate(uid, ImportOptions.none()))
                .hasMessageContaining("Resources.Node.Properties.MeshName.Fn::GetAtt: Mesh.Uid exists only once AWS has created");
    }

    @Test
    void aResourceNamedByItsLogicalIdIsNotedOnce() {
        ImportResult result = importTemplate("""
                Resources:
                  Shop:
                    Type: AWS::AppMesh::Mesh
                  Web:
                    Type: AWS::AppMesh::VirtualNode
                    Properties: {MeshName: !GetAtt Shop.MeshName, VirtualNodeName: web}
                  Api:
                    Type: AWS::AppMesh::VirtualNode
                    Properties: {MeshName: !GetAtt Shop.MeshName, VirtualNodeName: api}
                """, ImportOptions.none());
        assertThat(result.document().resources()).allMatch(r -> r.meshName().equals("Shop"));
        assertThat(result.report()).containsOnlyOnce(
                "stack.yaml#0 Resources.Shop.Properties.MeshName: not given; named by the logical id 'Shop'");
    }

    @Test
    void aParameterTheTemplateDoesNotDeclareIsRefused() {
        assertThatThrownBy(() -> importTemplate("Resources: {}", new ImportOptions(null, null, false, null, Map.of("Stage", "x"), null)))
                .hasMessage("stack.yaml#0: parameter Stage is not declared in the template's Parameters");
    }

    @Test
    void cyclesOfReferencesAreRefused() {
        String names = """
                Resources:
                  A:
                    Type: AWS::AppMesh::Mesh
                    Properties:
                      MeshName: !Sub "${B.MeshName}-a"
                  B:
                    Type: AWS::AppMesh::Mesh
                    Properties:
                      MeshName: !GetAtt A.MeshName
                """;
        assertThatThrownBy(() -> importTemplate(names, ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("a cycle of references");
        String dependsOn = """
                Resources:
                  A:
                    Type: AWS::AppMesh::Mesh
                    DependsOn: B
                    Properties: {MeshName: a}
                  B:
                    Type: AWS::AppMesh::Mesh
                    DependsOn: [A]
                    Properties: {MeshName: b}
                """;
        assertThatThrownBy(() -> importTemplate(dependsOn, ImportOptions.none()))
                .hasMessageContaining("DependsOn: a cycle: A -> B -> A");
    }

    @Test
    void unknownTypesPropertiesAndConditionsAreRefused() {
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  X:
                    Type: AWS::AppMesh::VirtualMesh
                """, ImportOptions.none()))
                .hasMessageStartingWith("stack.yaml#0 Resources.X.Type: unknown App Mesh type 'AWS::AppMesh::VirtualMesh'");
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  X:
                    Type: AWS::AppMesh::Mesh
                    Properties: {MeshName: m, Name: m}
                """, ImportOptions.none()))
                .hasMessageStartingWith("stack.yaml#0 Resources.X.Properties.Name: not a property of AWS::AppMesh::Mesh");
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  X:
                    Type: AWS::AppMesh::Mesh
                    Condition: IsProd
                    Properties: {MeshName: m}
                """, ImportOptions.none()))
                .hasMessageStartingWith("stack.yaml#0 Resources.X.Condition: conditions are not evaluated");
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  X:
                    Type: AWS::AppMesh::Mesh
                    Properties:
                      MeshName: m
                      Spec: {EgressFilter: {Kind: DROP_ALL}}
                """, ImportOptions.none()))
                .hasMessageStartingWith("stack.yaml#0 Resources.X.Properties.Spec.EgressFilter.Kind: not a member here");
    }

    @Test
    void refIsTheArnAndSubReadsPseudoParameters() {
        String template = """
                {"Resources": {
                  "Mesh": {"Type": "AWS::AppMesh::Mesh", "Properties": {"MeshName": "m",
                     "Tags": [{"Key": "arn", "Value": {"Ref": "Mesh"}},
                              {"Key": "where", "Value": {"Fn::Sub": "${AWS::Region}/${!literal}"}}]}}}}
                """;
        ImportResult result = importTemplate(template, new ImportOptions(null, null, false, null,
                Map.of("AWS::Region", "eu-west-1", "AWS::AccountId", "111122223333"), null));
        assertThat(result.document().resources().get(0).tags()).containsExactly(
                new TagRef("arn", "arn:aws:appmesh:eu-west-1:111122223333:mesh/m"), new TagRef("where", "eu-west-1/${literal}"));
    }

    @Test
    void intrinsicsThatWouldExplodeOrRecurseWithoutEndAreRefusedNamingThePath() {
        // each Fn::Sub doubles the one before: 40 resources were 2^40 characters and hours of work
        StringBuilder doubling = new StringBuilder("Resources:\n  R0:\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: x}\n");
        for (int i = 1; i <= 40; i++) {
            doubling.append("  R").append(i).append(":\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: !Sub '${R")
                    .append(i - 1).append(".MeshName}${R").append(i - 1).append(".MeshName}'}\n");
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> importTemplate(doubling.toString(),
                ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0 Resources.R13.Properties.MeshName.Fn::Sub: resolves to more than 4096 characters,"
                        + " longer than any App Mesh value"));
        // a chain of GetAtt through 3,000 resources, the last first, overflowed the stack (a 368 KB template)
        StringBuilder chain = new StringBuilder("Resources:\n");
        for (int i = 3000; i >= 1; i--) {
            chain.append("  R").append(i).append(":\n    Type: AWS::AppMesh::VirtualRouter\n    Properties: {MeshName: !GetAtt R")
                    .append(i - 1).append(".MeshName, VirtualRouterName: r").append(i).append("}\n");
        }
        chain.append("  R0:\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: x}\n");
        assertThatThrownBy(() -> importTemplate(chain.toString(), ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0 Resources.R2936.Properties.MeshName.Fn::GetAtt: references chain through more than"
                        + " 64 resources (R2999 -> ... -> R2936 -> R2935); name the resources directly");
        // an index past int was a NumberFormatException
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  M:
                    Type: AWS::AppMesh::Mesh
                    Properties: {MeshName: !Select [99999999999, [a, b]]}
                """, ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0 Resources.M.Properties.MeshName.Fn::Select: [index, [values]] with an index within"
                        + " the list is needed");
        // references within the limit still resolve, each name once
        ImportResult near = importTemplate("Resources:\n" + chain.substring(chain.indexOf("  R60:")), ImportOptions.none());
        assertThat(near.document().resources()).hasSize(61).allSatisfy(r -> assertThat(r.meshName()).isEqualTo("x"));
    }

    @Test
    void parameterDefaultsAndDependsOnThatAreNotLogicalIdsAreRefusedNamingThem() {
        // a list as a Default or a DependsOn item was a JsonNodeException (a 500 from POST /v1/apply)
        assertThatThrownBy(() -> importTemplate("""
                Parameters: {Name: {Type: String, Default: [a]}}
                Resources:
                  M: {Type: AWS::AppMesh::Mesh, Properties: {MeshName: !Ref Name}}
                """, ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0 Parameters.Name.Default: a text value is needed here");
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  M: {Type: AWS::AppMesh::Mesh, DependsOn: [[N]], Properties: {MeshName: m}}
                """, ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0 Resources.M.DependsOn[0]: a text value is needed here");
        assertThatThrownBy(() -> importTemplate("""
                Resources:
                  M: {Type: AWS::AppMesh::Mesh, DependsOn: {N: 1}, Properties: {MeshName: m}}
                """, ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessage("stack.yaml#0 Resources.M.DependsOn: a logical id or a list of them is needed");
    }
}
