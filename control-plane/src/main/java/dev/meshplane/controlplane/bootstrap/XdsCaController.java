package dev.meshplane.controlplane.bootstrap;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.controlplane.security.RestTlsProperties;
import dev.meshplane.controlplane.xds.XdsProperties;
import dev.meshplane.controlplane.xds.XdsServer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The CA of the xDS port's certificate when it comes from Meshplane's own CA: public, so open. */
@RestController
@Tag(name = "Bootstrap", description = "Start-up configuration for Envoy sidecars, gateways and proxyless gRPC")
class XdsCaController {

    private final XdsProperties properties;
    private final XdsServer xds;
    private final boolean restBuiltIn;

    XdsCaController(XdsProperties properties, XdsServer xds, RestTlsProperties restTls) {
        this.properties = properties;
        this.xds = xds;
        this.restBuiltIn = restTls.builtIn();
    }

    @GetMapping(value = "/v1/xds/ca", produces = "application/x-pem-file")
    @PreAuthorize("permitAll()")
    @Operation(operationId = "GetXdsCertificateAuthority", summary = "The CA of Meshplane's own certificates (built-in TLS on the xDS or REST port), PEM",
            description = "With meshplane.xds.tls.built-in or meshplane.rest.tls.built-in: trust it to reach Meshplane; gRPC"
                    + " bootstraps expect it at meshplane.xds.tls.proxy-ca-file, Envoy bootstraps carry it inline. 404 otherwise.")
    ResponseEntity<String> xdsCa() {
        if (!properties.tls().builtIn() && !restBuiltIn) {
            throw ApiException.notFound("no port uses the built-in CA (meshplane.xds.tls.built-in and"
                    + " meshplane.rest.tls.built-in are false)");
        }
        return ResponseEntity.ok(xds.builtInCaPem());
    }
}
