package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.error.ErrorCode;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.CreateMeshRequest;
import dev.meshplane.api.model.CreateRouteRequest;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.UpdateVirtualNodeRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestDecoderTest {

    private static byte[] json(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static String badRequest(String body, Class<? extends Record> type) {
        try {
            RequestDecoder.decode(json(body), type);
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void decodesAValidVirtualNode() {
        CreateVirtualNodeRequest request = RequestDecoder.decode(json("{'virtualNodeName':'user-service-v1','spec':"
                + "{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}}],"
                + "'serviceDiscovery':{'dns':{'hostname':'user.mylearning.local'}}}}"), CreateVirtualNodeRequest.class);
        assertThat(request.spec().listeners().get(0).portMapping().protocol()).isEqualTo(PortProtocol.HTTP);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'meshName':'m','spec':{'egressFilter':{'type':'SOMETIMES'}}} | spec.egressFilter.type: 'SOMETIMES' is not one of [ALLOW_ALL, DROP_ALL]",
        "{'meshName':42} | meshName: expected a string, got an integer",
        "{'meshName':'m','spec':[]} | spec: expected an object, got an array",
        "{'meshName':'m','color':'red'} | color: unknown member; the members allowed here are [clientToken, meshName, spec, tags]",
        "{'meshName':''} | meshName: must have 1 to 255 characters, has 0",
        "{} | meshName: is required",
        "{'meshName':'m','tags':[{'key':'k'}]} | tags[0].value: is required",
        "{'meshName':'m','tags':[null]} | tags[0]: is required",
        "{'meshName':'m' | it ends early",
        "{'meshName':'m'} trailing | not valid JSON",
        "{'meshName':'m','meshName':'n'} | the request body gives member 'meshName' twice in one object at line 1, column 27",
        "[1,2] | body: expected an object, got an array",
    })
    void refusesBadMeshInput(String body, String expected) {
        assertThat(badRequest(body, CreateMeshRequest.class)).contains(expected);
    }

    @Test
    void namesTheListIndexOfANestedViolation() {
        String message = badRequest("{'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},"
                + "{'portMapping':{'port':70000,'protocol':'http'}}]}}", CreateVirtualNodeRequest.class);
        assertThat(message).isEqualTo("spec.listeners[1].portMapping.port: must be less than or equal to 65535, got 70000");
    }

    @Test
    void refusesAUnionWithTwoMembers() {
        String message = badRequest("{'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'a'},"
                + "'awsCloudMap':{'namespaceName':'ns','serviceName':'s'}}}}", CreateVirtualNodeRequest.class);
        assertThat(message).isEqualTo("spec.serviceDiscovery: exactly one of [awsCloudMap, dns] must be set, but [awsCloudMap, dns] are");
    }

    @Test
    void refusesAFloatWhereAnIntegerIsExpected() {
        assertThat(badRequest("{'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':80.5,'protocol':'http'}}]}}",
                CreateVirtualNodeRequest.class)).startsWith("spec.listeners[0].portMapping.port: expected an integer");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(200) + "]".repeat(200);
        assertThatThrownBy(() -> AppMeshJson.mapper().readTree(deep))
                .isInstanceOfSatisfying(JacksonException.class, e -> assertThat(RequestDecoder.describe(e))
                        .isEqualTo("the request body nests deeper than 64 levels"));
        String body = "{\"meshName\":\"m\",\"spec\":" + deep + "}";
        assertThatThrownBy(() -> RequestDecoder.decode(body.getBytes(StandardCharsets.UTF_8), CreateMeshRequest.class))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    /**
     * Lengths are Unicode characters, as the AWS CLI counts them (botocore's validate.py, Python's len):
     * 200 emoji are 400 UTF-16 units, and were refused as "has 400".
     */
    @Test
    void countsLengthsInUnicodeCharacters() {
        String emoji = "\ud83d\ude00";
        CreateMeshRequest accepted = RequestDecoder.decode(json("{'meshName':'" + emoji.repeat(200) + "'}"),
                CreateMeshRequest.class);
        assertThat(accepted.meshName()).isEqualTo(emoji.repeat(200));
        assertThat(badRequest("{'meshName':'" + emoji.repeat(256) + "'}", CreateMeshRequest.class))
                .isEqualTo("meshName: must have 1 to 255 characters, has 256");
        assertThat(badRequest("{'meshName':'m','tags':[{'key':'" + emoji.repeat(129) + "','value':'v'}]}",
                CreateMeshRequest.class)).isEqualTo("tags[0].key: must have 1 to 128 characters, has 129");
        assertThat(RequestDecoder.decode(json("{'meshName':'m','tags':[{'key':'" + emoji.repeat(128) + "','value':'"
                + emoji.repeat(256) + "'}]}"), CreateMeshRequest.class).tags()).hasSize(1);
    }

    @Test
    void refusesHugeStrings() {
        String body = "{\"meshName\":\"" + "x".repeat(100_000) + "\"}";
        assertThatThrownBy(() -> RequestDecoder.decode(body.getBytes(StandardCharsets.UTF_8), CreateMeshRequest.class))
                .isInstanceOf(ApiException.class).hasMessageContaining("longer than 65536 characters");
    }

    @Test
    void refusesAnEmptyBody() {
        assertThatThrownBy(() -> RequestDecoder.decode(new byte[0], CreateMeshRequest.class))
                .isInstanceOf(ApiException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> RequestDecoder.decode(json("null"), CreateMeshRequest.class))
                .isInstanceOf(ApiException.class).hasMessageContaining("null");
    }

    @Test
    void appliesTheRulesTheModelDoesNotSpellOut() {
        String route = "{'routeName':'r','spec':{'httpRoute':{'match':{'prefix':'api'},"
                + "'action':{'weightedTargets':[{'virtualNode':'v1','weight':1}]},"
                + "'retryPolicy':{'maxRetries':1,'perRetryTimeout':{'unit':'ms','value':10},'httpRetryEvents':['oops']}},"
                + "'tcpRoute':{'action':{'weightedTargets':[{'virtualNode':'v1','weight':1}]}}}}";
        assertThat(badRequest(route, CreateRouteRequest.class))
                .contains("spec: exactly one of [grpcRoute, http2Route, httpRoute, tcpRoute] must be set, but 2 are")
                .contains("spec.httpRoute.match.prefix: must start with '/'")
                .contains("spec.httpRoute.retryPolicy.httpRetryEvents[0]: 'oops' is not one of");
    }

    /** API model, VirtualNodeSpec.serviceDiscovery: a node with a listener must say how its endpoints are found. */
    @Test
    void refusesListenersWithoutServiceDiscoveryOnCreateAndUpdate() {
        String listener = "'listeners':[{'portMapping':{'port':8080,'protocol':'http'}}]";
        assertThat(badRequest("{'virtualNodeName':'n','spec':{" + listener + "}}", CreateVirtualNodeRequest.class))
                .isEqualTo("spec.serviceDiscovery: is required when the node has listeners (App Mesh refuses a listener"
                        + " without service discovery: callers could find no endpoint of this node); give awsCloudMap"
                        + " (namespaceName, serviceName) or dns (hostname)");
        assertThat(badRequest("{'spec':{" + listener + "}}", UpdateVirtualNodeRequest.class))
                .startsWith("spec.serviceDiscovery: is required when the node has listeners");
        assertThat(RequestDecoder.decode(("{'virtualNodeName':'n','spec':{" + listener
                + ",'serviceDiscovery':{'awsCloudMap':{'namespaceName':'ns','serviceName':'n'}}}}").replace('\'', '"')
                .getBytes(StandardCharsets.UTF_8), CreateVirtualNodeRequest.class)).isNotNull();
        // a node with no listener takes no inbound traffic: App Mesh lets it omit service discovery
        assertThat(RequestDecoder.decode("{\"virtualNodeName\":\"n\",\"spec\":{\"listeners\":[]}}"
                .getBytes(StandardCharsets.UTF_8), CreateVirtualNodeRequest.class)).isNotNull();
    }

    @Test
    void refusesAcmCertificatesClearly() {
        String node = "{'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'n.local'}},'listeners':[{'portMapping':{'port':8080,"
                + "'protocol':'http'},'tls':{'mode':'STRICT','certificate':{'acm':{'certificateArn':'arn:aws:acm:us-east-1:1:certificate/x'}}}}]}}";
        assertThat(badRequest(node, CreateVirtualNodeRequest.class))
                .startsWith("spec.listeners[0].tls.certificate.acm: ACM certificates exist only inside AWS");
    }

    @Test
    void listenerSettingsMustMatchTheListenerProtocol() {
        String node = "{'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},"
                + "'connectionPool':{'tcp':{'maxConnections':10}},'timeout':{'grpc':{'perRequest':{'unit':'s','value':1}}}}]}}";
        assertThat(badRequest(node, CreateVirtualNodeRequest.class))
                .contains("spec.listeners[0].connectionPool.tcp: does not match the listener's protocol 'http'; use connectionPool.http")
                .contains("spec.listeners[0].timeout.grpc: does not match the listener's protocol 'http'");
    }

    @Test
    void regexesMustBeRe2AndHeaderNamesTokens() {
        String route = "{'routeName':'r','spec':{'httpRoute':{'match':{'prefix':'/','headers':["
                + "{'name':'x-segment','match':{'regex':'(?=premium)'}},{'name':'bad header','match':{'exact':'a'}}]},"
                + "'action':{'weightedTargets':[{'virtualNode':'v1','weight':1}]}}}}";
        assertThat(badRequest(route, CreateRouteRequest.class))
                .contains("spec.httpRoute.match.headers[0].match.regex: is not a valid RE2 regular expression")
                .contains("spec.httpRoute.match.headers[1].name: 'bad header' is not a valid HTTP header name");
    }

    @Test
    void aMeshNameThatANodeIdWouldReadAsASharedMeshIsRefused() {
        // mesh/prod@123456789012/virtualNode/api is mesh 'prod' owned by that account (ProxyId): a mesh of this name
        // could be created, and its proxies were then identified as another mesh's (with authentication off, served it)
        assertThat(badRequest("{'meshName':'prod@123456789012'}", CreateMeshRequest.class))
                .contains("meshName: must not end in '@' and 12 digits")
                .contains("names mesh 'prod' shared from that account");
        assertThat(RequestDecoder.decode(json("{'meshName':'team@example'}"), CreateMeshRequest.class).meshName())
                .isEqualTo("team@example");
        assertThat(RequestDecoder.decode(json("{'meshName':'prod@12345678901'}"), CreateMeshRequest.class).meshName())
                .isEqualTo("prod@12345678901");
    }
}
