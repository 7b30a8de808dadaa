package dev.meshplane.controlplane.bootstrap;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.controlplane.xds.XdsProperties;
import dev.meshplane.controlplane.xds.XdsServer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The CA of the xDS port's certificate when it comes from Meshplane's own CA: public, so open. */
@RestController
@Tag(name = "Bootstrap", description = "Start-up configuration for Envoy sidecars, gateways and proxyless gRPC")
class XdsCaController {

    private final XdsProperties properties;
    private final XdsServer xds;

    XdsCaController(XdsProperties properties, XdsServer xds) {
        this.properties = properties;
        this.xds = xds;
    }

    @GetMapping(value = "/v1/xds/ca", produces = "application/x-pem-file")
    @Operation(operationId = "GetXdsCertificateAuthority", summary = "The CA of the xDS port's certificate (built-in TLS), PEM",
            description = "With meshplane.xds.tls.built-in=true: write it where gRPC bootstraps expect it"
                    + " (meshplane.xds.tls.proxy-ca-file); Envoy bootstraps carry it inline. 404 otherwise.")
    ResponseEntity<String> xdsCa() {
        if (!properties.tls().builtIn()) {
            throw ApiException.notFound("the xDS port does not use the built-in CA (meshplane.xds.tls.built-in is false)");
        }
        return ResponseEntity.ok(xds.builtInCaPem());
    }
}
