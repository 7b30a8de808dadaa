package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests, sent as raw HTTP: each gets a 4xx in App Mesh's error shape whose
 * message names what is wrong, never a 500 or a stack trace, and nothing is stored.
 */
class BadInputTest extends ServerTest {

    private String mesh;

    @BeforeEach
    void createMesh() {
        mesh = uniqueName("bad");
        appMesh.createMesh(r -> r.meshName(mesh));
    }

    private void assertRefused(HttpResponse<String> response, int status, String type, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        assertThat(response.body()).startsWith("{\"message\":\"").contains(messagePart)
                .doesNotContain("Exception:", "\tat ", "tools.jackson", "java.lang");
    }

    private void assertNothingStored() throws Exception {
        HttpResponse<String> nodes = send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes", null);
        assertThat(nodes.statusCode()).isEqualTo(200);
        assertThat(nodes.body()).isEqualTo("{\"virtualNodes\":[]}");
        HttpResponse<String> meshItself = send("GET", "/v20190125/meshes/" + mesh, null);
        assertThat(meshItself.body()).contains("\"version\":1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated | {'virtualNodeName':'n','spec':{'listeners':[ | it ends early",
        "not json | virtualNodeName=n | not valid JSON",
        "wrong type | {'virtualNodeName':'n','spec':{'listeners':{}}} | spec.listeners: expected an array, got an object",
        "string for int | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':'8080','protocol':'http'}}]}} | spec.listeners[0].portMapping.port: expected an integer, got a string",
        "int for string | {'virtualNodeName':7,'spec':{}} | virtualNodeName: expected a string, got an integer",
        "unknown enum | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'udp'}}]}} | spec.listeners[0].portMapping.protocol: 'udp' is not one of [http, tcp, http2, grpc]",
        "out of range | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':0,'protocol':'http'}}]}} | spec.listeners[0].portMapping.port: must be greater than or equal to 1, got 0",
        "missing required | {'virtualNodeName':'n'} | spec: is required",
        "missing nested | {'virtualNodeName':'n','spec':{'listeners':[{}]}} | spec.listeners[0].portMapping: is required",
        "union with none | {'virtualNodeName':'n','spec':{'serviceDiscovery':{}}} | spec.serviceDiscovery: exactly one of [awsCloudMap, dns] must be set",
        "unknown member | {'virtualNodeName':'n','spec':{'listners':[]}} | spec.listners: unknown member",
        "huge number | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':99999999999999999999,'protocol':'http'}}]}} | spec.listeners[0].portMapping.port",
        "null body | null | null",
        "array body | [] | expected an object",
        "health check range | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'healthCheck':{'protocol':'http','healthyThreshold':1,'unhealthyThreshold':2,'timeoutMillis':2000,'intervalMillis':5000}}]}} | spec.listeners[0].healthCheck.healthyThreshold: must be greater than or equal to 2, got 1",
        "access log command Envoy lacks | {'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'/dev/stdout','format':{'text':'%START_TIME% %DURATION_MS%'}}}}}} | spec.logging.accessLog.file.format.text: %DURATION_MS%: Envoy has no command DURATION_MS",
        "access log stray percent | {'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'/dev/stdout','format':{'text':'100% %RESPONSE_CODE%'}}}}}} | spec.logging.accessLog.file.format.text: no valid command at position 3",
        "access log command with arguments it takes none of | {'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'/dev/stdout','format':{'json':[{'key':'d','value':'%DURATION(ms)%'}]}}}}}} | spec.logging.accessLog.file.format.json[0].value: %DURATION(ms)%: DURATION takes no arguments or length",
        "access log header command without a header | {'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'/dev/stdout','format':{'json':[{'key':'ua','value':'%REQ%'}]}}}}}} | spec.logging.accessLog.file.format.json[0].value: %REQ%: REQ needs arguments",
        "access log path naming a directory | {'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'/var/log/'}}}}} | spec.logging.accessLog.file.path: '/var/log/' names a directory, not a file: Envoy cannot open it as its access log and refuses the listener",
        "access log json key twice | {'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'/dev/stdout','format':{'json':[{'key':'code','value':'%RESPONSE_CODE%'},{'key':'code','value':'%DURATION%'}]}}}}}} | spec.logging.accessLog.file.format.json[1].key: 'code' is already the key of json[0]",
        "two listeners on one port | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},{'portMapping':{'port':8080,'protocol':'http'}}],'serviceDiscovery':{'dns':{'hostname':'n.local'}}}} | spec.listeners[1].portMapping.port: port 8080 is already mapped by listeners[0]",
        "two protocols on one port | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},{'portMapping':{'port':8080,'protocol':'tcp'}}],'serviceDiscovery':{'dns':{'hostname':'n.local'}}}} | spec.listeners[1].portMapping.port: port 8080 is already mapped by listeners[0]",
        "one backend in two letter cases | {'virtualNodeName':'n','spec':{'backends':[{'virtualService':{'virtualServiceName':'Api.example.local'}},{'virtualService':{'virtualServiceName':'api.example.local'}}]}} | spec.backends[1].virtualService.virtualServiceName: 'api.example.local' is already backends[0]",
        "dns host as address shorthand | {'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'10.1'}}}} | spec.serviceDiscovery.dns.hostname: '10.1' is not an IP address",
        "dns host with zone id | {'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'fe80::1%eth0'}}}} | spec.serviceDiscovery.dns.hostname: 'fe80::1%eth0' carries a zone id",
        "listener on the sidecar's outbound port | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':15001,'protocol':'http'}}]}} | spec.listeners[0].portMapping.port: port 15001 is the sidecar's own",
        "listener on Envoy's admin port | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':9901,'protocol':'tcp'}}]}} | spec.listeners[0].portMapping.port: port 9901 is the sidecar's own",
        "dns host in brackets | {'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'[fd00::1]'}}}} | spec.serviceDiscovery.dns.hostname: '[fd00::1]' is not an IP address",
        "outlier detection zero interval | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'outlierDetection':{'interval':{'unit':'s','value':0},'baseEjectionDuration':{'unit':'ms','value':0},'maxEjectionPercent':10,'maxServerErrors':5}}]}} | spec.listeners[0].outlierDetection.interval.value: must be greater than 0",
        "outlier detection zero ejection | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'outlierDetection':{'interval':{'unit':'s','value':10},'baseEjectionDuration':{'unit':'ms','value':0},'maxEjectionPercent':10,'maxServerErrors':5}}]}} | spec.listeners[0].outlierDetection.baseEjectionDuration.value: must be greater than 0",
        "duration beyond protobuf's | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'tcp'},'timeout':{'tcp':{'idle':{'unit':'s','value':9223372036854775807}}}}]}} | spec.listeners[0].timeout.tcp.idle.value: must be at most 315576000000 seconds",
        "blank dns hostname | {'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':' '}}}} | spec.serviceDiscovery.dns.hostname: must be a host name or IP address",
        "listener without service discovery | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}}]}} | spec.serviceDiscovery: is required when the node has listeners (App Mesh refuses a listener without service discovery: callers could find no endpoint of this node)",
        "health check on another port | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'healthCheck':{'protocol':'http','path':'/ping','port':8081,'healthyThreshold':2,'unhealthyThreshold':2,'timeoutMillis':2000,'intervalMillis':5000}}],'serviceDiscovery':{'dns':{'hostname':'n.local'}}}} | spec.listeners[0].healthCheck.port: must be the listener's port 8080 (App Mesh requires the health check port to match the port mapping), got 8081",
        "acm certificate | {'virtualNodeName':'n','spec':{'backendDefaults':{'clientPolicy':{'tls':{'validation':{'trust':{'acm':{'certificateAuthorityArns':['arn:aws:acm-pca:x']}}}}}}}} | spec.backendDefaults.clientPolicy.tls.validation.trust.acm: ACM certificates exist only inside AWS",
    })
    void malformedVirtualNodesAreRefused(String name, String body, String message) throws Exception {
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", body.replace('\'', '"')),
                400, "BadRequestException", message);
        assertNothingStored();
    }

    /** App Mesh refuses duplicate port mappings on routers and gateways as on nodes; gateways' access logs and virtual service names are Envoy's too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "router port twice | virtualRouters | {'virtualRouterName':'r','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},{'portMapping':{'port':8080,'protocol':'grpc'}}]}} | spec.listeners[1].portMapping.port: port 8080 is already mapped by listeners[0]",
        "gateway port twice | virtualGateways | {'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,'protocol':'http'}},{'portMapping':{'port':8443,'protocol':'http2'}}]}} | spec.listeners[1].portMapping.port: port 8443 is already mapped by listeners[0]",
        "gateway SDS secret without a name | virtualGateways | {'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,'protocol':'http'},'tls':{'mode':'STRICT','certificate':{'sds':{'secretName':''}}}}]}} | spec.listeners[0].tls.certificate.sds.secretName: must name a secret",
        "gateway health check on another port | virtualGateways | {'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,'protocol':'http'},'healthCheck':{'protocol':'http','path':'/ping','port':9443,'healthyThreshold':2,'unhealthyThreshold':2,'timeoutMillis':2000,'intervalMillis':5000}}]}} | spec.listeners[0].healthCheck.port: must be the listener's port 8443",
        "gateway on Envoy's admin port | virtualGateways | {'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':9901,'protocol':'http'}}]}} | spec.listeners[0].portMapping.port: port 9901 is the Envoy admin interface's port",
        "virtual service named with a wildcard | virtualServices | {'virtualServiceName':'*.shop.local','spec':{}} | virtualServiceName: '*.shop.local' has a '*', which Envoy would read as a wildcard domain",
        "virtual service named with a port | virtualServices | {'virtualServiceName':'api.shop.local:8080','spec':{}} | virtualServiceName: 'api.shop.local:8080' has a ':'",
        "gateway log path naming a directory | virtualGateways | {'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,'protocol':'http'}}],'logging':{'accessLog':{'file':{'path':'/var/log/envoy/.'}}}}} | spec.logging.accessLog.file.path: '/var/log/envoy/.' names a directory",
        "gateway log command Envoy lacks | virtualGateways | {'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,'protocol':'http'}}],'logging':{'accessLog':{'file':{'path':'/dev/stdout','format':{'text':'%DURATION_MS%'}}}}}} | spec.logging.accessLog.file.format.text: %DURATION_MS%: Envoy has no command DURATION_MS",
    })
    void malformedRoutersGatewaysAndServicesAreRefused(String name, String collection, String body, String message) throws Exception {
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/" + collection, body.replace('\'', '"')),
                400, "BadRequestException", message);
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/" + collection, null).body())
                .isEqualTo("{\"" + collection + "\":[]}");
    }

    /** Routes and gateway routes App Mesh refuses: each names the member, and nothing is stored. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "grpc method without service | routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'methodName':'Get'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.methodName: needs serviceName as well",
        "grpc service name empty | routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':''},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.serviceName: must not be empty",
        "grpc service name with a slash | routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'shop.Orders/Get'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.serviceName: 'shop.Orders/Get' has a '/'",
        "grpc method name with a space | routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'shop.Orders','methodName':'Get Order'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.methodName: 'Get Order' has a '/', '?', '#' or space",
        "gateway grpc service name with a query | gatewayRoutes | {'gatewayRouteName':'x','spec':{'grpcRoute':{'match':{'serviceName':'shop.Orders?v=1'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.grpcRoute.match.serviceName: 'shop.Orders?v=1' has a '/'",
        "grpc metadata gRPC clients never see | routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B','metadata':[{'name':'x-token-bin','match':{'exact':'abc'}}]},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.metadata[0].name: 'x-token-bin': binary metadata: gRPC clients treat it as absent",
        "grpc metadata on the content type | routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B','metadata':[{'name':'content-type','match':{'exact':'application/grpc+proto'}}]},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.metadata[0].name: 'content-type': gRPC clients match the content type as the constant 'application/grpc'",
        "weights above 100 in all | routes | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'n','weight':90},{'virtualNode':'m','weight':20}]}}}} | spec.httpRoute.action.weightedTargets: the weights add up to 110",
        "tcp weights above 100 in all | routes | {'routeName':'x','spec':{'tcpRoute':{'action':{'weightedTargets':[{'virtualNode':'n','weight':100},{'virtualNode':'m','weight':1}]}}}} | spec.tcpRoute.action.weightedTargets: the weights add up to 101",
        "prefix rewrite on a path match | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'path':{'exact':'/a'}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}},'rewrite':{'prefix':{'value':'/b/'}}}}}} | spec.httpRoute.action.rewrite.prefix: rewrites a matched prefix, but this route matches match.path",
        "prefix and path rewrite | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/a/'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}},'rewrite':{'prefix':{'value':'/b/'},'path':{'exact':'/c'}}}}}} | spec.httpRoute.action.rewrite: at most one of [path, prefix] may be set",
        "prefix rewrite without a slash | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/a/'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}},'rewrite':{'prefix':{'value':'b/'}}}}}} | spec.httpRoute.action.rewrite.prefix.value: must start and end with '/'",
        "host name with a port | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/','hostname':{'exact':'api.example.com:8080'}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.hostname.exact: 'api.example.com:8080' is not a host name",
        "host name with a wildcard | gatewayRoutes | {'gatewayRouteName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B','hostname':{'suffix':'*.example.com'}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.grpcRoute.match.hostname.suffix: '*.example.com' is not a host name",
        "host name with a trailing dot | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/','hostname':{'exact':'api.example.com.'}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.hostname.exact: 'api.example.com.' ends with '.'",
        "host name match with neither | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/','hostname':{}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.hostname: exactly one of [exact, suffix] must be set",
        "prefix with a query | routes | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/search?q='},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.httpRoute.match.prefix: '/search?q=' holds a '?': Envoy compares paths without the request's query string and fragment, so it would match no request",
        "gateway path with a fragment | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'path':{'exact':'/help#top'}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.path.exact: '/help#top' holds a '#'",
        "prefix rewrite without a trailing slash | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/a/'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}},'rewrite':{'prefix':{'value':'/b'}}}}}} | spec.httpRoute.action.rewrite.prefix.value: must start and end with '/' (App Mesh refuses other prefix rewrites), got '/b'",
        "empty rewrite | gatewayRoutes | {'gatewayRouteName':'x','spec':{'http2Route':{'match':{'prefix':'/a/'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}},'rewrite':{}}}}} | spec.http2Route.action.rewrite: at least one of [hostname, path, prefix] must be set",
        "gateway match on nothing | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match: at least one of [hostname, path, prefix] must be set",
        "gateway match on headers only | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'headers':[{'name':'x-a','match':{'exact':'1'}}]},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match: at least one of [hostname, path, prefix] must be set",
        "grpc gateway match on nothing | gatewayRoutes | {'gatewayRouteName':'x','spec':{'grpcRoute':{'match':{'metadata':[{'name':'tier','match':{'exact':'gold'}}]},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.grpcRoute.match: at least one of [hostname, serviceName] must be set",
        "reserved gateway prefix | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/aws-appmesh/x'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.prefix: '/aws-appmesh/x': prefixes beginning with /aws-appmesh or /aws-app-mesh are reserved by App Mesh",
        "reserved gateway grpc service | gatewayRoutes | {'gatewayRouteName':'x','spec':{'grpcRoute':{'match':{'serviceName':'aws.app-mesh.Health'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.grpcRoute.match.serviceName: 'aws.app-mesh.Health' is reserved by App Mesh",
        "gateway query parameter match without exact | gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/','queryParameters':[{'name':'v','match':{}}]},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.queryParameters[0].match.exact: is required when match is given",
        "path rewrite without a slash | gatewayRoutes | {'gatewayRouteName':'x','spec':{'http2Route':{'match':{'path':{'exact':'/a'}},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}},'rewrite':{'path':{'exact':'c'}}}}}} | spec.http2Route.action.rewrite.path.exact: must start with '/'",
    })
    void malformedRoutesAreRefused(String name, String collection, String body, String message) throws Exception {
        String parent = collection.equals("routes") ? "virtualRouter/r" : "virtualGateway/g";
        if (collection.equals("routes")) {
            appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("r").spec(s -> s.listeners(l -> l
                    .portMapping(p -> p.port(8080).protocol("http")))));
        } else {
            appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("g").spec(s -> s.listeners(l -> l
                    .portMapping(p -> p.port(8080).protocol("http")))));
        }
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/" + parent + "/" + collection,
                body.replace('\'', '"')), 400, "BadRequestException", message);
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/" + parent + "/" + collection, null).body())
                .doesNotContain("\"x\"");
    }

    /**
     * Issue 12, example 7's kind: a route no listener of its router serves (a kind without a listener of its
     * protocol, or a match.port that is not such a listener's port) would be in no route configuration, so it is
     * refused naming the member, as App Mesh refuses it; nothing is stored. Router 'hr' listens on http 8080,
     * router 'two' on http 8080 and grpc 9090.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http port not a listener | hr | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/','port':9999},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.httpRoute.match.port: port 9999 is not a listener port of virtual router 'hr' (its http listeners: 8080)",
        "http port of the grpc listener | two | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/','port':9090},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.httpRoute.match.port: port 9090 is not a listener port of virtual router 'two' (its http listeners: 8080)",
        "grpc port not a listener | two | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B','port':8080},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.port: port 8080 is not a listener port of virtual router 'two' (its grpc listeners: 9090)",
        "grpc route on an http router | hr | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute: virtual router 'hr' has no grpc listener (its listeners: http 8080)",
        "http2 route on an http router | hr | {'routeName':'x','spec':{'http2Route':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.http2Route: virtual router 'hr' has no http2 listener (its listeners: http 8080)",
        "tcp route on an http and grpc router | two | {'routeName':'x','spec':{'tcpRoute':{'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.tcpRoute: virtual router 'two' has no tcp listener (its listeners: http 8080, grpc 9090)",
        "no match port on a router with two listeners | two | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.httpRoute.match.port: no port given, and virtual router 'two' has several listeners (http 8080, grpc 9090): App Mesh requires the route's match.port then",
        "no match port on a grpc route either | two | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B'},'action':{'weightedTargets':[{'virtualNode':'multi','weight':1,'port':9090}]}}}} | spec.grpcRoute.match.port: no port given, and virtual router 'two' has several listeners",
    })
    void routesNoListenerOfTheirRouterServesAreRefused(String name, String router, String body, String message)
            throws Exception {
        createRoutersAndNode();
        String routes = "/v20190125/meshes/" + mesh + "/virtualRouter/" + router + "/routes";
        assertRefused(send("PUT", routes, body.replace('\'', '"')), 400, "BadRequestException", message);
        assertThat(send("GET", routes, null).body()).isEqualTo("{\"routes\":[]}");
    }

    /**
     * The same rule on updates: a route updated onto a port its router does not listen on, and a router updated
     * to drop the listener a route uses, are refused naming the member (and the route), and nothing changes.
     */
    @Test
    void updatesThatLeaveARouteUnservedAreRefused() throws Exception {
        createRoutersAndNode();
        String route = "/v20190125/meshes/" + mesh + "/virtualRouter/hr/routes";
        String served = "{'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/','port':8080},'action':"
                + "{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}}";
        assertThat(send("PUT", route, served.replace('\'', '"')).statusCode()).isEqualTo(200);
        assertRefused(send("PUT", route + "/x", "{'spec':{'httpRoute':{'match':{'prefix':'/','port':9999},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}}"
                .replace('\'', '"')), 400, "BadRequestException",
                "spec.httpRoute.match.port: port 9999 is not a listener port of virtual router 'hr' (its http listeners: 8080)");
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualRouters/hr",
                "{'spec':{'listeners':[{'portMapping':{'port':8081,'protocol':'http'}}]}}".replace('\'', '"')), 400,
                "BadRequestException", "spec.listeners: route 'x' of virtual router 'hr' in mesh '" + mesh
                        + "' would no longer be served: its spec.httpRoute.match.port: port 8080 is not a listener port");
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualRouters/hr",
                "{'spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http2'}}]}}".replace('\'', '"')), 400,
                "BadRequestException", "its spec.httpRoute: virtual router 'hr' has no http listener (its listeners: http2 8080)");
        assertThat(send("GET", route + "/x", null).body()).contains("\"port\":8080").contains("\"version\":1");
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualRouters/hr", null).body())
                .contains("\"protocol\":\"http\"").contains("\"version\":1");
    }

    /**
     * The same kind for gateway routes: a gateway route no listener of its virtual gateway serves is refused on
     * create, and a gateway update that would leave one unserved is refused naming it; nothing changes.
     * Gateway 'gw' listens on http 8080.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http port not a listener | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/','port':9999},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.httpRoute.match.port: port 9999 is not a listener port of virtual gateway 'gw' (its http listeners: 8080)",
        "grpc route on an http gateway | {'gatewayRouteName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.grpcRoute: virtual gateway 'gw' has no grpc listener (its listeners: http 8080)",
        "http2 route on an http gateway | {'gatewayRouteName':'x','spec':{'http2Route':{'match':{'prefix':'/'},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}} | spec.http2Route: virtual gateway 'gw' has no http2 listener (its listeners: http 8080)",
    })
    void gatewayRoutesNoListenerOfTheirGatewayServesAreRefused(String name, String body, String message) throws Exception {
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("s.local").spec(s -> { }));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8080).protocol("http")))));
        String routes = "/v20190125/meshes/" + mesh + "/virtualGateway/gw/gatewayRoutes";
        assertRefused(send("PUT", routes, body.replace('\'', '"')), 400, "BadRequestException", message);
        assertThat(send("GET", routes, null).body()).isEqualTo("{\"gatewayRoutes\":[]}");
        String served = "{'gatewayRouteName':'ok','spec':{'httpRoute':{'match':{'prefix':'/'},'action':"
                + "{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}}";
        assertThat(send("PUT", routes, served.replace('\'', '"')).statusCode()).isEqualTo(200);
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualGateways/gw",
                "{'spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'grpc'}}]}}".replace('\'', '"')), 400,
                "BadRequestException", "spec.listeners: gateway route 'ok' of virtual gateway 'gw' in mesh '" + mesh
                        + "' would no longer be served: its spec.httpRoute: virtual gateway 'gw' has no http listener");
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualGateways/gw", null).body())
                .contains("\"protocol\":\"http\"").contains("\"version\":1");
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw2").spec(s -> s.listeners(
                l -> l.portMapping(p -> p.port(8080).protocol("http")),
                l -> l.portMapping(p -> p.port(8081).protocol("http2")))));
        String onTwo = "/v20190125/meshes/" + mesh + "/virtualGateway/gw2/gatewayRoutes";
        assertRefused(send("PUT", onTwo, served.replace('\'', '"')), 400, "BadRequestException", "spec.httpRoute.match.port:"
                + " no port given, and virtual gateway 'gw2' has several listeners (http 8080, http2 8081)");
        assertThat(send("GET", onTwo, null).body()).isEqualTo("{\"gatewayRoutes\":[]}");
        assertThat(send("PUT", onTwo, served.replace("'prefix':'/'", "'prefix':'/','port':8080").replace('\'', '"'))
                .statusCode()).isEqualTo(200);
    }

    /**
     * Issue 12, example 7's kind, the target side: a weighted target's port no listener of its node serves (the
     * translator made a cluster towards a port whose inbound listener has no chain), a gateway route's target port
     * no listener of its service's provider serves (the translator left the gateway route out), and either without a
     * port when the target has several listeners (App Mesh requires it then) are refused naming the member; nothing
     * is stored. Node 'n' listens on http 8080, node 'multi' on http 8080 and grpc 9090; service 'n.local' is
     * provided by 'n', 'two.local' by router 'two' (http 8080, grpc 9090).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "target port not a listener | virtualRouter/hr/routes | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1,'port':9090}]}}}} | spec.httpRoute.action.weightedTargets[0].port: port 9090 is not a listener port of virtual node 'n' (its listeners: http 8080)",
        "second target's port not a listener | virtualRouter/hr/routes | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'multi','weight':1,'port':8080},{'virtualNode':'multi','weight':1,'port':7070}]}}}} | spec.httpRoute.action.weightedTargets[1].port: port 7070 is not a listener port of virtual node 'multi' (its listeners: http 8080, grpc 9090)",
        "no target port on a node with two listeners | virtualRouter/hr/routes | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'multi','weight':1}]}}}} | spec.httpRoute.action.weightedTargets[0].port: no port given, and virtual node 'multi' has several listeners (http 8080, grpc 9090): App Mesh requires the target's port then",
        "gateway target port not the provider node's | virtualGateway/gw/gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'target':{'virtualService':{'virtualServiceName':'n.local'},'port':9090}}}}} | spec.httpRoute.action.target.port: port 9090 is not a listener port of virtual service 'n.local' (through its provider virtual node 'n') (its listeners: http 8080)",
        "gateway target port not the provider router's | virtualGateway/gw/gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'target':{'virtualService':{'virtualServiceName':'two.local'},'port':7070}}}}} | spec.httpRoute.action.target.port: port 7070 is not a listener port of virtual service 'two.local' (through its provider virtual router 'two') (its listeners: http 8080, grpc 9090)",
        "no gateway target port on a provider with two listeners | virtualGateway/gw/gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'target':{'virtualService':{'virtualServiceName':'two.local'}}}}}} | spec.httpRoute.action.target.port: no port given, and virtual service 'two.local' (through its provider virtual router 'two') has several listeners (http 8080, grpc 9090)",
    })
    void targetPortsNoListenerOfTheTargetServesAreRefused(String name, String path, String body, String message)
            throws Exception {
        createTargets();
        String url = "/v20190125/meshes/" + mesh + "/" + path;
        assertRefused(send("PUT", url, body.replace('\'', '"')), 400, "BadRequestException", message);
        assertThat(send("GET", url, null).body()).doesNotContain("\"x\"");
        String served = body.replace("'port':7070", "'port':8080").replace("'port':9090}]", "'port':8080}]")
                .replace("'virtualNode':'multi','weight':1}", "'virtualNode':'multi','weight':1,'port':8080}")
                .replace("'port':9090}}", "'port':8080}}").replace("'two.local'}}", "'two.local'},'port':8080}");
        assertThat(send("PUT", url, served.replace('\'', '"')).statusCode()).as(served).isEqualTo(200);
    }

    /**
     * A gateway route whose target service's provider listens with a protocol that cannot carry it: a grpcRoute
     * reaching an http listener (Envoy's cluster towards it speaks HTTP/1.1, and gRPC needs HTTP/2 with trailers),
     * any gateway route reaching a tcp listener. Refused on create naming the member, and on the reverse updates
     * of the provider node, router or service naming the gateway route; nothing changes. HTTP routes reach grpc
     * listeners (Envoy converts HTTP/1.1 to HTTP/2).
     */
    @Test
    void gatewayRoutesToListenersThatCannotCarryThemAreRefused() throws Exception {
        createTargets();
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("t").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(7000).protocol("tcp"))).serviceDiscovery(d -> d.dns(h -> h.hostname("t.local")))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("g").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(50051).protocol("grpc"))).serviceDiscovery(d -> d.dns(h -> h.hostname("g.local")))));
        for (String provided : new String[] {"t", "g"}) {
            appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName(provided + ".local")
                    .spec(s -> s.provider(p -> p.virtualNode(v -> v.virtualNodeName(provided)))));
        }
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gg").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8443).protocol("grpc")))));
        String base = "/v20190125/meshes/" + mesh;
        String grpcRoutes = base + "/virtualGateway/gg/gatewayRoutes";
        String httpRoutes = base + "/virtualGateway/gw/gatewayRoutes";
        String grpcTo = "{'gatewayRouteName':'%s','spec':{'grpcRoute':{'match':{'serviceName':'a.B'},'action':{'target':"
                + "{'virtualService':{'virtualServiceName':'%s'}%s}}}}}";
        String httpTo = "{'gatewayRouteName':'%s','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'target':"
                + "{'virtualService':{'virtualServiceName':'%s'}%s}}}}}";
        assertRefused(send("PUT", grpcRoutes, grpcTo.formatted("x", "n.local", "").replace('\'', '"')), 400,
                "BadRequestException", "spec.grpcRoute.action.target: virtual service 'n.local' (through its provider"
                        + " virtual node 'n') listens on port 8080 with protocol http, which Envoy reaches over HTTP/1.1:"
                        + " gRPC needs HTTP/2 and trailers");
        assertRefused(send("PUT", grpcRoutes, grpcTo.formatted("x", "two.local", ",'port':8080").replace('\'', '"')), 400,
                "BadRequestException", "spec.grpcRoute.action.target.port: virtual service 'two.local' (through its"
                        + " provider virtual router 'two') listens on port 8080 with protocol http, which Envoy reaches"
                        + " over HTTP/1.1");
        assertRefused(send("PUT", httpRoutes, httpTo.formatted("x", "t.local", "").replace('\'', '"')), 400,
                "BadRequestException", "spec.httpRoute.action.target: virtual service 't.local' (through its provider"
                        + " virtual node 't') listens on port 7000 with protocol tcp, which carries no HTTP");
        assertThat(send("GET", grpcRoutes, null).body()).isEqualTo("{\"gatewayRoutes\":[]}");
        assertThat(send("GET", httpRoutes, null).body()).isEqualTo("{\"gatewayRoutes\":[]}");

        for (String[] accepted : new String[][] {
            {grpcRoutes, grpcTo.formatted("to-g", "g.local", "")},
            {grpcRoutes, grpcTo.formatted("to-two", "two.local", ",'port':9090")},
            {httpRoutes, httpTo.formatted("http-to-grpc", "g.local", "")},
        }) {
            HttpResponse<String> created = send("PUT", accepted[0], accepted[1].replace('\'', '"'));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        }
        assertRefused(send("PUT", base + "/virtualNodes/g", ("{'spec':{'listeners':[{'portMapping':{'port':50051,"
                + "'protocol':'http'}}],'serviceDiscovery':{'dns':{'hostname':'g.local'}}}}").replace('\'', '"')), 400,
                "BadRequestException", "spec.listeners: gateway route 'to-g' of virtual gateway 'gg' in mesh '" + mesh
                        + "' would no longer reach its target: its spec.grpcRoute.action.target: virtual service 'g.local'"
                        + " (through its provider virtual node 'g') listens on port 50051 with protocol http");
        assertRefused(send("PUT", base + "/virtualRouters/two", ("{'spec':{'listeners':[{'portMapping':{'port':8080,"
                + "'protocol':'http'}},{'portMapping':{'port':9090,'protocol':'http'}}]}}").replace('\'', '"')), 400,
                "BadRequestException", "spec.listeners: gateway route 'to-two' of virtual gateway 'gg' in mesh '" + mesh
                        + "' would no longer reach its target: its spec.grpcRoute.action.target.port: virtual service"
                        + " 'two.local' (through its provider virtual router 'two') listens on port 9090 with protocol http");
        // both gateway routes to g.local would lose their target; the first one met is named
        HttpResponse<String> toTcp = send("PUT", base + "/virtualServices/g.local",
                "{'spec':{'provider':{'virtualNode':{'virtualNodeName':'t'}}}}".replace('\'', '"'));
        assertRefused(toTcp, 400, "BadRequestException", "spec.provider: gateway route '");
        assertThat(toTcp.body()).contains("would no longer reach its target: its spec.", "Route.action.target: virtual"
                + " service 'g.local' (through its provider virtual node 't') listens on port 7000 with protocol tcp, which"
                + " carries no HTTP");
        for (String unchanged : new String[] {"/virtualNodes/g", "/virtualRouters/two", "/virtualServices/g.local"}) {
            assertThat(send("GET", base + unchanged, null).body()).as(unchanged).contains("\"version\":1");
        }
    }

    /**
     * App Mesh requires a route's protocol to match its targets' listener (routes.md): a weighted target reaching a
     * listener of another protocol (the port's, or the node's only one) is refused naming the member; nothing is
     * stored. Node 't' listens on tcp 7000, 'multi' on http 8080 and grpc 9090, 'n' on http 8080.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http route to a tcp node | hr | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'t','weight':1}]}}}} | spec.httpRoute.action.weightedTargets[0].virtualNode: virtual node 't' listens on port 7000 with protocol tcp, not http as this httpRoute needs",
        "http route to a grpc port | hr | {'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1},{'virtualNode':'multi','weight':1,'port':9090}]}}}} | spec.httpRoute.action.weightedTargets[1].port: virtual node 'multi' listens on port 9090 with protocol grpc, not http as this httpRoute needs",
        "grpc route to an http node | two | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'a.B','port':9090},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.action.weightedTargets[0].virtualNode: virtual node 'n' listens on port 8080 with protocol http, not grpc as this grpcRoute needs",
    })
    void targetsOfAnotherProtocolAreRefused(String name, String router, String body, String message) throws Exception {
        createTargets();
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("t").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(7000).protocol("tcp"))).serviceDiscovery(d -> d.dns(h -> h.hostname("t.local")))));
        String routes = "/v20190125/meshes/" + mesh + "/virtualRouter/" + router + "/routes";
        assertRefused(send("PUT", routes, body.replace('\'', '"')), 400, "BadRequestException", message);
        assertThat(send("GET", routes, null).body()).isEqualTo("{\"routes\":[]}");
    }

    /**
     * The reverse: an update of a target node, of a router providing a gateway route's service, or of a service's
     * provider that would leave a route's target without the listener it names is refused naming the route; nothing
     * changes.
     */
    @Test
    void updatesThatLeaveATargetPortUnservedAreRefused() throws Exception {
        createTargets();
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("m").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8080).protocol("http"))).serviceDiscovery(d -> d.dns(h -> h.hostname("m.local")))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("q").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(7070).protocol("http"))).serviceDiscovery(d -> d.dns(h -> h.hostname("q.local")))));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("hr.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("hr")))));
        String routes = "/v20190125/meshes/" + mesh + "/virtualRouter/hr/routes";
        String gatewayRoutes = "/v20190125/meshes/" + mesh + "/virtualGateway/gw/gatewayRoutes";
        for (String created : new String[] {
            routes + "|{'routeName':'x','spec':{'httpRoute':{'match':{'prefix':'/x'},'action':{'weightedTargets':[{'virtualNode':'n','weight':1,'port':8080}]}}}}",
            routes + "|{'routeName':'y','spec':{'httpRoute':{'match':{'prefix':'/y'},'action':{'weightedTargets':[{'virtualNode':'m','weight':1}]}}}}",
            gatewayRoutes + "|{'gatewayRouteName':'gn','spec':{'httpRoute':{'match':{'prefix':'/n'},'action':{'target':{'virtualService':{'virtualServiceName':'n.local'},'port':8080}}}}}",
            gatewayRoutes + "|{'gatewayRouteName':'gr','spec':{'httpRoute':{'match':{'prefix':'/r'},'action':{'target':{'virtualService':{'virtualServiceName':'hr.local'},'port':8080}}}}}",
        }) {
            String[] parts = created.split("\\|");
            assertThat(send("PUT", parts[0], parts[1].replace('\'', '"')).statusCode()).as(parts[1]).isEqualTo(200);
        }
        String base = "/v20190125/meshes/" + mesh;
        assertRefused(send("PUT", base + "/virtualNodes/n", "{'spec':{'listeners':[{'portMapping':{'port':8081,'protocol':'http'}}],'serviceDiscovery':{'dns':{'hostname':'n.local'}}}}"
                .replace('\'', '"')), 400, "BadRequestException", "spec.listeners: route 'x' of virtual router 'hr' in mesh '"
                + mesh + "' would no longer reach its target: its spec.httpRoute.action.weightedTargets[0].port: port 8080 is"
                + " not a listener port of virtual node 'n' (its listeners: http 8081)");
        assertRefused(send("PUT", base + "/virtualNodes/n", "{'spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'tcp'}}],'serviceDiscovery':{'dns':{'hostname':'n.local'}}}}"
                .replace('\'', '"')), 400, "BadRequestException", "spec.listeners: route 'x' of virtual router 'hr' in mesh '"
                + mesh + "' would no longer reach its target: its spec.httpRoute.action.weightedTargets[0].port: virtual node"
                + " 'n' listens on port 8080 with protocol tcp, not http as this httpRoute needs");
        assertRefused(send("PUT", base + "/virtualRouters/hr", "{'spec':{'listeners':[{'portMapping':{'port':8081,'protocol':'http'}}]}}"
                .replace('\'', '"')), 400, "BadRequestException", "spec.listeners: gateway route 'gr' of virtual gateway 'gw' in"
                + " mesh '" + mesh + "' would no longer reach its target: its spec.httpRoute.action.target.port: port 8080 is not"
                + " a listener port of virtual service 'hr.local' (through its provider virtual router 'hr') (its listeners: http 8081)");
        assertRefused(send("PUT", base + "/virtualServices/n.local", "{'spec':{'provider':{'virtualNode':{'virtualNodeName':'q'}}}}"
                .replace('\'', '"')), 400, "BadRequestException", "spec.provider: gateway route 'gn' of virtual gateway 'gw' in"
                + " mesh '" + mesh + "' would no longer reach its target: its spec.httpRoute.action.target.port: port 8080 is not"
                + " a listener port of virtual service 'n.local' (through its provider virtual node 'q') (its listeners: http 7070)");
        for (String unchanged : new String[] {"/virtualNodes/n", "/virtualNodes/m", "/virtualRouters/hr", "/virtualServices/n.local"}) {
            assertThat(send("GET", base + unchanged, null).body()).as(unchanged).contains("\"version\":1");
        }
    }

    /**
     * App Mesh requires match.port (a target's port) once the router, gateway or target node has several listeners,
     * when the route is written; its Kubernetes controller (pkg/virtualrouter/resource_manager.go: the router is
     * updated before its routes) and CloudFormation (a route depends on its router and its target nodes) write the
     * parent first, while the stored routes have no port yet. So a router, gateway and node gaining their second
     * listener under port-less routes are accepted, the routes then gain their ports, and a port-less route written
     * now is still refused. Before, each parent update was refused and that change could not be made in App Mesh's
     * order at all.
     */
    @Test
    void aSecondListenerBeforeTheRoutesGainTheirPortIsAcceptedInAppMeshsWriteOrder() throws Exception {
        createRoutersAndNode();
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("s.local").spec(s -> { }));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8080).protocol("http")))));
        String base = "/v20190125/meshes/" + mesh;
        String route = "{'spec':{'httpRoute':{'match':{'prefix':'/z'%s},'action':{'weightedTargets':[{'virtualNode':'n','weight':1%s}]}}}}";
        String gatewayRoute = "{'spec':{'httpRoute':{'match':{'prefix':'/'%s},'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}}";
        assertThat(send("PUT", base + "/virtualRouter/hr/routes", route.formatted("", "").replace("{'spec'", "{'routeName':'z','spec'")
                .replace('\'', '"')).statusCode()).isEqualTo(200);
        assertThat(send("PUT", base + "/virtualGateway/gw/gatewayRoutes", gatewayRoute.formatted("")
                .replace("{'spec'", "{'gatewayRouteName':'ok','spec'").replace('\'', '"')).statusCode()).isEqualTo(200);

        for (String parent : new String[] {
            "/virtualRouters/hr|{'spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},{'portMapping':{'port':9090,'protocol':'grpc'}}]}}",
            "/virtualGateways/gw|{'spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},{'portMapping':{'port':8081,'protocol':'http2'}}]}}",
            "/virtualNodes/n|{'spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}},{'portMapping':{'port':8081,'protocol':'http'}}],'serviceDiscovery':{'dns':{'hostname':'n.local'}}}}",
        }) {
            String[] parts = parent.split("\\|");
            HttpResponse<String> updated = send("PUT", base + parts[0], parts[1].replace('\'', '"'));
            assertThat(updated.statusCode()).as(parts[0] + ": " + updated.body()).isEqualTo(200);
        }
        assertRefused(send("PUT", base + "/virtualRouter/hr/routes/z", route.formatted("", ",'port':8080").replace('\'', '"')), 400,
                "BadRequestException", "spec.httpRoute.match.port: no port given, and virtual router 'hr' has several listeners");
        assertRefused(send("PUT", base + "/virtualRouter/hr/routes/z", route.formatted(",'port':8080", "").replace('\'', '"')), 400,
                "BadRequestException", "spec.httpRoute.action.weightedTargets[0].port: no port given, and virtual node 'n' has"
                        + " several listeners");
        assertThat(send("PUT", base + "/virtualRouter/hr/routes/z", route.formatted(",'port':8080", ",'port':8081")
                .replace('\'', '"')).statusCode()).isEqualTo(200);
        assertThat(send("PUT", base + "/virtualGateway/gw/gatewayRoutes/ok", gatewayRoute.formatted(",'port':8080")
                .replace('\'', '"')).statusCode()).isEqualTo(200);
    }

    /** Nodes 'n' (http 8080) and 'multi' (http 8080, grpc 9090), services 'n.local' (by 'n') and 'two.local' (by router 'two'), gateway 'gw'. */
    private void createTargets() {
        createRoutersAndNode();
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("multi").spec(s -> s.listeners(
                l -> l.portMapping(p -> p.port(8080).protocol("http")),
                l -> l.portMapping(p -> p.port(9090).protocol("grpc"))).serviceDiscovery(d -> d.dns(h -> h.hostname("multi.local")))));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("n.local")
                .spec(s -> s.provider(p -> p.virtualNode(v -> v.virtualNodeName("n")))));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("two.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("two")))));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8080).protocol("http")))));
    }

    private void createRoutersAndNode() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("n").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8080).protocol("http"))).serviceDiscovery(d -> d.dns(h -> h.hostname("n.local")))));
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("hr").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8080).protocol("http")))));
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("two").spec(s -> s.listeners(
                l -> l.portMapping(p -> p.port(8080).protocol("http")),
                l -> l.portMapping(p -> p.port(9090).protocol("grpc")))));
    }

    /** Over Envoy's RE2 limit (1000): 1004 instructions, as RE2 measures it. */
    private static final String HUGE_REGEX = "[a-z]{1000}";

    /**
     * Issue 12, example 4: every regex Envoy compiles is refused when its RE2 program size is over the limit
     * the supported proxies apply, naming the member and both figures; the example (139) is accepted.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "route path | virtualRouter/r/routes | {'routeName':'x','spec':{'httpRoute':{'match':{'path':{'regex':'%s'}},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.httpRoute.match.path.regex",
        "route header | virtualRouter/r/routes | {'routeName':'x','spec':{'http2Route':{'match':{'prefix':'/','headers':[{'name':'x-user','match':{'regex':'%s'}}]},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.http2Route.match.headers[0].match.regex",
        "grpc metadata | virtualRouter/r/routes | {'routeName':'x','spec':{'grpcRoute':{'match':{'serviceName':'s','metadata':[{'name':'tier','match':{'regex':'%s'}}]},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}} | spec.grpcRoute.match.metadata[0].match.regex",
        "gateway path | virtualGateway/g/gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'path':{'regex':'%s'}},'action':{'target':{'virtualService':{'virtualServiceName':'s'}}}}}} | spec.httpRoute.match.path.regex",
        "gateway header | virtualGateway/g/gatewayRoutes | {'gatewayRouteName':'x','spec':{'httpRoute':{'match':{'prefix':'/','headers':[{'name':'x-user','match':{'regex':'%s'}}]},'action':{'target':{'virtualService':{'virtualServiceName':'s'}}}}}} | spec.httpRoute.match.headers[0].match.regex",
        "gateway metadata | virtualGateway/g/gatewayRoutes | {'gatewayRouteName':'x','spec':{'grpcRoute':{'match':{'serviceName':'s','metadata':[{'name':'tier','match':{'regex':'%s'}}]},'action':{'target':{'virtualService':{'virtualServiceName':'s'}}}}}} | spec.grpcRoute.match.metadata[0].match.regex",
    })
    void regexesOverEnvoysProgramSizeLimitAreRefused(String name, String path, String body, String member) throws Exception {
        String url = "/v20190125/meshes/" + mesh + "/" + path;
        assertRefused(send("PUT", url, body.formatted(HUGE_REGEX).replace('\'', '"')), 400, "BadRequestException",
                member + ": RE2 program size 1004 is over Envoy's limit of 1000 (re2.max_program_size.error_level)");
        HttpResponse<String> example = send("PUT", url,
                body.formatted("^/api/(v1|v2)/(orders|carts|customers)/[a-z0-9-]{36}$").replace('\'', '"'));
        assertThat(example.body()).as("the issue's example, 139, is within the limit")
                .doesNotContain("program size").doesNotContain("regex");
    }

    /**
     * Issue 15's tracing settings: each field as its consumer reads it (Envoy's tracers, their PGV rules and
     * factories, the X-Ray daemon and Zipkin collector), a 400 naming the member, and no settings stored.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no provider | {'samplingPercent':5} | provider: is required",
        "unknown provider | {'provider':'jaeger'} | provider: 'jaeger' is not one of [xray, zipkin, opentelemetry]",
        "sampling over 100 | {'provider':'xray','samplingPercent':100.5} | samplingPercent: must be from 0 to 100, got 100.5",
        "negative sampling | {'provider':'xray','samplingPercent':-1} | samplingPercent: must be from 0 to 100, got -1.0",
        "sampling as a string | {'provider':'xray','samplingPercent':'5%'} | samplingPercent: expected",
        "another provider's settings | {'provider':'xray','zipkin':{'collector':'zipkin:9411'}} | zipkin: given with provider xray; only provider zipkin takes it",
        "zipkin without its settings | {'provider':'zipkin'} | zipkin: is required with provider zipkin",
        "opentelemetry without a collector | {'provider':'opentelemetry','opentelemetry':{}} | opentelemetry.collector: is required",
        "xray daemon as a name | {'provider':'xray','xray':{'daemonAddress':'xray-daemon:2000'}} | xray.daemonAddress: 'xray-daemon:2000' is not <IPv4 address>[:<port>]",
        "xray daemon over IPv6 | {'provider':'xray','xray':{'daemonAddress':'[::1]:2000'}} | xray.daemonAddress: '[::1]:2000' is not <IPv4 address>[:<port>]",
        "xray daemon address shorthand | {'provider':'xray','xray':{'daemonAddress':'127.1:2000'}} | xray.daemonAddress: '127.1:2000' is not <IPv4 address>",
        "xray daemon port 0 | {'provider':'xray','xray':{'daemonAddress':'127.0.0.1:0'}} | xray.daemonAddress: '127.0.0.1:0': the port must be a number from 1 to 65535",
        "xray segment name with a semicolon | {'provider':'xray','xray':{'segmentName':'web;v1'}} | xray.segmentName: 'web;v1' holds a character X-Ray does not take",
        "xray empty segment name | {'provider':'xray','xray':{'segmentName':''}} | xray.segmentName: must have 1 to 200 characters",
        "zipkin collector without a port | {'provider':'zipkin','zipkin':{'collector':'zipkin.observability'}} | zipkin.collector: 'zipkin.observability' is not <host>:<port>",
        "zipkin port out of range | {'provider':'zipkin','zipkin':{'collector':'zipkin:65536'}} | zipkin.collector: 'zipkin:65536': the port must be a number from 1 to 65535",
        "zipkin port with a sign | {'provider':'zipkin','zipkin':{'collector':'zipkin:+9411'}} | zipkin.collector: 'zipkin:+9411': the port must be",
        "zipkin host with an underscore | {'provider':'zipkin','zipkin':{'collector':'zip_kin:9411'}} | zipkin.collector: 'zip_kin' (in 'zip_kin:9411') is neither an IP address nor a DNS name",
        "zipkin host as address shorthand | {'provider':'zipkin','zipkin':{'collector':'10.1:9411'}} | zipkin.collector: '10.1' is not an IP address",
        "zipkin IPv6 without brackets | {'provider':'zipkin','zipkin':{'collector':'fd00::1:9411'}} | zipkin.collector: 'fd00::1:9411': write an IPv6 address in brackets",
        "zipkin IPv6 with a zone id | {'provider':'zipkin','zipkin':{'collector':'[fe80::1%eth0]:9411'}} | zipkin.collector: 'fe80::1%eth0' carries a zone id",
        "zipkin path without a slash | {'provider':'zipkin','zipkin':{'collector':'zipkin:9411','path':'api/v2/spans'}} | zipkin.path: 'api/v2/spans' is not an HTTP request path",
        "zipkin path with a space | {'provider':'zipkin','zipkin':{'collector':'zipkin:9411','path':'/api/v2/my spans'}} | zipkin.path: '/api/v2/my spans' is not an HTTP request path",
        "zipkin version Envoy does not implement | {'provider':'zipkin','zipkin':{'collector':'zipkin:9411','version':'GRPC'}} | zipkin.version: 'GRPC' is not one of [HTTP_JSON, HTTP_PROTO]",
        "opentelemetry trailing dot | {'provider':'opentelemetry','opentelemetry':{'collector':'otel.example.:4317'}} | opentelemetry.collector: 'otel.example.' (in 'otel.example.:4317') is neither",
        "opentelemetry label too long | {'provider':'opentelemetry','opentelemetry':{'collector':'a234567890123456789012345678901234567890123456789012345678901234.example:4317'}} | is neither an IP address nor a DNS name",
        "unknown member | {'provider':'opentelemetry','opentelemetry':{'collector':'otel:4317','endpoint':'x'}} | opentelemetry.endpoint: unknown member",
    })
    void malformedTracingSettingsAreRefused(String name, String body, String message) throws Exception {
        assertRefused(send("PUT", "/v1/meshes/" + mesh + "/tracing", body.replace('\'', '"')), 400, "BadRequestException",
                message);
        assertThat(send("GET", "/v1/meshes/" + mesh + "/tracing", null).statusCode()).as("nothing stored").isEqualTo(404);
    }

    /** A name that can be created must be addressable: Describe and Delete take it as one path segment. */
    @Test
    void namesThatNoPathCouldAddressAreRefused() throws Exception {
        for (String name : new String[] {"a/b", "a\\\\b", "a;b", "a%2Fb", ".", ".."}) {
            String shown = name.replace("\\\\", "\\");
            HttpResponse<String> node = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                    "{\"virtualNodeName\":\"" + name + "\",\"spec\":{}}");
            assertRefused(node, 400, "BadRequestException", "virtualNodeName: must not");
            assertThat(node.body()).as(shown).contains("path segment");
            assertRefused(send("PUT", "/v20190125/meshes", "{\"meshName\":\"" + name + "\"}"), 400,
                    "BadRequestException", "meshName: must not");
        }
        assertNothingStored();
    }

    /**
     * A JSON escape of half a surrogate pair decodes to a Java string UTF-8 cannot carry: the node
     * "a" backslash-ud800 "b" was created, and no path (UTF-8, percent-encoded) could address it.
     */
    @Test
    void unpairedSurrogatesAreRefused() throws Exception {
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"a\\ud800b\",\"spec\":{}}"),
                400, "BadRequestException", "virtualNodeName: must not contain an unpaired surrogate (U+D800 at index 1)");
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"n\",\"spec\":{},"
                + "\"tags\":[{\"key\":\"k\",\"value\":\"\\udc00\"}]}"), 400, "BadRequestException",
                "tags[0].value: must not contain an unpaired surrogate (U+DC00 at index 0)");
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"n\",\"spec\":"
                + "{\"serviceDiscovery\":{\"dns\":{\"hostname\":\"x\\ud83d.local\"}}}}"), 400, "BadRequestException",
                "spec.serviceDiscovery.dns.hostname: must not contain an unpaired surrogate");
        // a whole pair is one character, as any other
        HttpResponse<String> paired = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"a\\ud83d\\ude00b\",\"spec\":{}}");
        assertThat(paired.statusCode()).as(paired.body()).isEqualTo(200);
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/a%F0%9F%98%80b", null).statusCode()).isEqualTo(200);
    }

    /** API model, VirtualNodeSpec.serviceDiscovery: an update may not drop the service discovery of a node with listeners. */
    @Test
    void anUpdateDroppingServiceDiscoveryIsRefused() throws Exception {
        String listener = "{'portMapping':{'port':8080,'protocol':'http'}}";
        assertThat(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", ("{'virtualNodeName':'sd','spec':{'listeners':["
                + listener + "],'serviceDiscovery':{'dns':{'hostname':'sd.local'}}}}").replace('\'', '"')).statusCode())
                .isEqualTo(200);
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/sd", ("{'spec':{'listeners':[" + listener
                + "]}}").replace('\'', '"')), 400, "BadRequestException", "spec.serviceDiscovery: is required when the node"
                + " has listeners");
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/sd", null).body())
                .contains("sd.local").contains("\"version\":1");
    }

    /** App Mesh: a clientToken names one request; the same token with another request is a conflict, and nothing changes. */
    @Test
    void aClientTokenReusedForAnotherRequestIsAConflict() throws Exception {
        String create = "{\"virtualNodeName\":\"tok\",\"spec\":{},\"clientToken\":\"t-1\"}";
        assertThat(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", create).statusCode()).isEqualTo(200);
        String first = "{\"spec\":{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],"
                + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"tok.local\"}}},"
                + "\"clientToken\":\"t-2\"}";
        HttpResponse<String> updated = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/tok", first);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/tok", first).body())
                .as("the same request again: the same answer").contains("\"version\":2");
        HttpResponse<String> other = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/tok",
                first.replace("8080", "9090"));
        assertRefused(other, 409, "ConflictException", "clientToken 't-2' was used for a different request");
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/tok", null).body())
                .contains("8080").doesNotContain("9090").contains("\"version\":2");
    }

    @Test
    void oversizeStringsAreRefused() throws Exception {
        String longName = "n".repeat(256);
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"" + longName + "\",\"spec\":{}}"), 400, "BadRequestException",
                "virtualNodeName: must have 1 to 255 characters, has 256");
        assertRefused(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/" + longName, null), 400,
                "BadRequestException", "virtualNodeName: must have 1 to 255 characters");
        // Unicode characters, as the AWS CLI counts them: 200 emoji are 400 UTF-16 units, and were refused as such
        String emoji = "%F0%9F%98%80";
        HttpResponse<String> created = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"" + "\ud83d\ude00".repeat(200) + "\",\"spec\":{}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(send("DELETE", "/v20190125/meshes/" + mesh + "/virtualNodes/" + emoji.repeat(200), null).statusCode())
                .isEqualTo(200);
        assertRefused(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/" + emoji.repeat(256), null), 400,
                "BadRequestException", "virtualNodeName: must have 1 to 255 characters, has 256");
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"" + "x".repeat(200_000) + "\",\"spec\":{}}"), 400, "BadRequestException",
                "longer than 65536 characters");
        assertNothingStored();
    }

    @Test
    void aHugeBodyIsRefusedBeforeItIsRead() throws Exception {
        String huge = "{\"virtualNodeName\":\"n\",\"spec\":{},\"pad\":\"" + "x".repeat(2_000_000) + "\"}";
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", huge), 413, "BadRequestException",
                "larger than 1048576 bytes");

        // the same without a Content-Length (chunked): cut off while reading
        HttpRequest chunked = HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh + "/virtualNodes"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build();
        assertRefused(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "BadRequestException",
                "larger than 1048576 bytes");
        assertNothingStored();
    }

    @Test
    void deeplyNestedJsonIsRefused() throws Exception {
        String deep = "{\"virtualNodeName\":\"n\",\"spec\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", deep), 400, "BadRequestException",
                "nests deeper than 64 levels");
        String deepest = "[".repeat(10_000) + "]".repeat(10_000);
        assertRefused(send("PUT", "/v20190125/meshes", deepest), 400, "BadRequestException",
                "nests deeper than 64 levels");
        assertNothingStored();
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        byte[] body = {'{', '"', 'm', 'e', 's', 'h', 'N', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(response, 400, "BadRequestException", "not valid JSON");
    }

    @Test
    void badQueryParametersAndHeadersAreRefused() throws Exception {
        assertRefused(send("GET", "/v20190125/meshes?limit=-1", null), 400, "BadRequestException",
                "limit: must be between 1 and 100, got -1");
        assertRefused(send("GET", "/v20190125/meshes?limit=ten", null), 400, "BadRequestException",
                "limit: 'ten' is not a valid integer");
        assertRefused(send("GET", "/v20190125/meshes?nextToken=%00%01", null), 400, "BadRequestException", "nextToken");
        assertRefused(send("GET", "/v20190125/meshes/" + mesh + "?meshOwner=abc", null), 400, "BadRequestException",
                "meshOwner: must be a 12-digit account id");
        assertRefused(send("GET", "/v20190125/tags", null), 400, "BadRequestException", "resourceArn: is required");
        // given twice: Spring joined them ("mesh 'a,x' does not exist") or took the first
        String arn = "arn:aws:appmesh:us-east-1:123456789012:mesh/" + mesh;
        assertRefused(send("GET", "/v20190125/tags?resourceArn=" + arn + "&resourceArn=x", null), 400,
                "BadRequestException", "resourceArn: given 2 times");
        assertRefused(send("GET", "/v20190125/meshes?limit=1&limit=2", null), 400, "BadRequestException",
                "limit: given 2 times");
        HttpResponse<String> badIfMatch = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh))
                .header("If-Match", "yesterday").PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(badIfMatch, 400, "BadRequestException", "If-Match: expected a resource version");
    }

    /**
     * A nextToken is opaque, so a client may hand back anything: one that decodes to a NUL or to bytes
     * that are not UTF-8 is refused like any token this server did not issue (a NUL reached
     * PostgreSQL, which answered a 500).
     */
    @Test
    void tamperedNextTokensAreRefused() throws Exception {
        java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String nul = base64.encodeToString("mp1:a\u0000b".getBytes(StandardCharsets.UTF_8));
        String notUtf8 = base64.encodeToString(new byte[] {'m', 'p', '1', ':', 'a', (byte) 0xC3, (byte) 0x28});
        for (String token : new String[] {nul, notUtf8}) {
            for (String list : new String[] {"/v20190125/meshes", "/v20190125/meshes/" + mesh + "/virtualNodes",
                    "/v20190125/tags?resourceArn=arn:aws:appmesh:us-east-1:123456789012:mesh/" + mesh}) {
                assertRefused(send("GET", list + (list.contains("?") ? "&" : "?") + "nextToken=" + token, null), 400,
                        "BadRequestException", "nextToken: '" + token + "' is not a token this server issued");
            }
        }
    }

    /** Spring would drop ";staging" and act on the mesh before it; no name holds a ';', so the firewall refuses it. */
    @Test
    void aSemicolonInThePathIsRefusedNotDropped() throws Exception {
        for (String path : new String[] {"/v20190125/meshes/" + mesh + ";staging", "/v20190125/meshes/" + mesh + "%3Bstaging",
                "/v20190125/meshes/" + mesh + ";x/virtualNodes"}) {
            assertRefused(send("DELETE", path, null), 400, "BadRequestException", "the request path is refused");
            assertRefused(send("GET", path, null), 400, "BadRequestException", "the request path is refused");
        }
        assertThat(send("GET", "/v20190125/meshes/" + mesh, null).statusCode()).as("the mesh before the ';' is kept")
                .isEqualTo(200);
        assertRefused(send("PUT", "/v20190125/meshes", "{\"meshName\":\"a;b\"}"), 400, "BadRequestException",
                "meshName: must not contain ';'");
    }

    /** Tomcat refuses these before any servlet runs; the message says which limit, not an encoding fault. */
    @Test
    void requestLinesAndHeadersOverTomcatsLimitSayWhy() throws Exception {
        String why = "its request line and headers are larger than the 16384 bytes the server reads";
        assertRefused(send("GET", "/v20190125/meshes/" + "m".repeat(17000), null), 400, "BadRequestException", why);
        assertRefused(http.send(HttpRequest.newBuilder(uri("/v20190125/meshes")).header("X-Big", "x".repeat(17000)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()), 400, "BadRequestException", why);
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheSameShape() throws Exception {
        assertRefused(send("GET", "/v20190125/nothing-here", null), 404, "NotFoundException", "no operation");
        assertRefused(send("POST", "/v20190125/meshes", "{}"), 405, "BadRequestException", "POST");
    }

    @Test
    void theBodyIsJsonWhateverTheContentTypeSays() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh + "/virtualNodes"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"virtualNodeName\":\"curl\",\"spec\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"virtualNodeName\":\"curl\"");

        // a multipart type was parsed as such, which consumed the body: "the request body is missing"
        HttpResponse<String> multipart = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh + "/virtualNodes"))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"virtualNodeName\":\"multipart\",\"spec\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(200);
        assertThat(multipart.body()).contains("\"virtualNodeName\":\"multipart\"");
    }

    @Test
    void signedRequestHeadersDoNotGetInTheWay() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/appmesh/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef")
                .header("X-Amz-Date", "20261126T000000Z")
                .header("X-Amz-Security-Token", "token")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
