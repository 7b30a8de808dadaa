package dev.meshplane.controlplane.security;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.security.CertificateAuthorityData;
import dev.meshplane.api.security.ImportCaRequest;
import dev.meshplane.api.security.MtlsMode;
import dev.meshplane.api.security.MtlsSettings;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.ResourceStore;
import dev.meshplane.persistence.SecurityStore;
import dev.meshplane.snapshot.BuiltInSecrets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The mesh-wide mTLS switch and the mesh's certificate authority: read, import, rotate, end the overlap. */
@RestController
@RequestMapping("/v1/meshes/{meshName}")
@Tag(name = "Security", description = "mTLS without extra infrastructure: each mesh's CA, and proxies' certificates over SDS")
class SecurityController {

    private final ResourceStore resources;
    private final SecurityStore store;
    private final CertificateAuthority authority;
    private final dev.meshplane.controlplane.auth.Auditor auditor;

    SecurityController(ResourceStore resources, SecurityStore store, CertificateAuthority authority,
            dev.meshplane.controlplane.auth.Auditor auditor) {
        this.resources = resources;
        this.store = store;
        this.authority = authority;
        this.auditor = auditor;
    }

    private static dev.meshplane.controlplane.auth.Auditor.Entry entry(String action, String mesh, String detail) {
        return new dev.meshplane.controlplane.auth.Auditor.Entry(action, mesh, "mesh/" + mesh, null, null, detail);
    }

    private void meshExists(String mesh) {
        resources.describe(ResourceId.mesh(mesh));
    }

    @GetMapping("/mtls")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeMeshMtls", summary = "The mesh-wide mTLS switch (DISABLED unless set)")
    MtlsSettings mtls(@PathVariable String meshName) {
        meshExists(meshName);
        return new MtlsSettings(store.mtls(meshName).map(MtlsMode::valueOf).orElse(MtlsMode.DISABLED));
    }

    @PutMapping("/mtls")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "UpdateMeshMtls", summary = "Turns mTLS on (STRICT or PERMISSIVE) or off for every node of a mesh",
            description = "Every proxy of the mesh is rebuilt; listeners and client policies with TLS of their own keep it.")
    MtlsSettings setMtls(@PathVariable String meshName,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = MtlsSettings.class)))
            @RequestBody(required = false) byte[] body) {
        meshExists(meshName);
        MtlsSettings settings = RequestDecoder.decode(body, MtlsSettings.class);
        if (settings.mode() != MtlsMode.DISABLED) {
            authority.trustedCas(meshName); // the CA exists before any proxy is told to use it
        }
        auditor.write(() -> store.setMtls(meshName, settings.mode().name()),
                entry("UpdateMeshMtls", meshName, "mode=" + settings.mode()));
        return settings;
    }

    @GetMapping("/virtualNodes/{nodeName}/certificate")
    @PreAuthorize("hasPermission({#meshName, #nodeName}, 'virtualNodeCertificate', 'admin')")
    @Operation(operationId = "GetVirtualNodeCertificate",
            summary = "The node's current certificate, private key and trust bundle, for proxyless gRPC applications",
            description = "gRPC applications take certificates from files (the file_watcher certificate provider their"
                    + " bootstrap names): fetch this with the node's proxy token (or as admin on the mesh), write the three"
                    + " PEMs to the files, and fetch again at renewAt. Sidecars and gateways get theirs over SDS instead.")
    Map<String, Object> certificate(@PathVariable String meshName, @PathVariable String nodeName) {
        resources.describe(ResourceId.of(dev.meshplane.api.resource.ResourceKind.VIRTUAL_NODE, meshName, nodeName));
        CertificateAuthority.Identity identity = authority.identity(
                new dev.meshplane.snapshot.ProxyId(meshName, dev.meshplane.snapshot.ProxyId.Kind.GRPC_CLIENT, nodeName));
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("spiffeId", BuiltInSecrets.spiffeId(meshName, "virtualNode", nodeName));
        answer.put("certificateChainPem", Pem.write(identity.certificate()));
        answer.put("privateKeyPem", Pem.write(identity.key()));
        answer.put("trustBundlePem", authority.trustBundlePem(meshName));
        answer.put("notAfter", identity.certificate().getNotAfter().toInstant().getEpochSecond());
        answer.put("renewAt", identity.renewAt().getEpochSecond());
        return answer;
    }

    @GetMapping("/ca")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeMeshCertificateAuthority",
            summary = "The mesh's CAs and trust bundle; the first CA is generated if the mesh has none")
    CertificateAuthorityData describe(@PathVariable String meshName) {
        meshExists(meshName);
        authority.trustedCas(meshName);
        return view(meshName);
    }

    @PutMapping("/ca")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "ImportMeshCertificateAuthority",
            summary = "Makes a CA of your own the mesh's active CA (the replaced one stays trusted until the overlap ends)")
    CertificateAuthorityData importCa(@PathVariable String meshName,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = ImportCaRequest.class)))
            @RequestBody(required = false) byte[] body) {
        meshExists(meshName);
        ImportCaRequest request = RequestDecoder.decode(body, ImportCaRequest.class);
        auditor.write(() -> authority.importCa(meshName, request.certificatePem(), request.privateKeyPem()),
                ca -> entry("ImportMeshCertificateAuthority", meshName, "ca=" + ca.id()));
        authority.forget(meshName);
        return view(meshName);
    }

    @PostMapping("/ca/rotate")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "RotateMeshCertificateAuthority",
            summary = "Generates a new active CA; proxies get certificates from it at once, and both CAs are trusted"
                    + " until the overlap is ended with DELETE /ca/previous")
    CertificateAuthorityData rotate(@PathVariable String meshName) {
        meshExists(meshName);
        auditor.write(() -> authority.rotate(meshName), ca -> entry("RotateMeshCertificateAuthority", meshName, "ca=" + ca.id()));
        authority.forget(meshName);
        return view(meshName);
    }

    @DeleteMapping("/ca/previous")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "EndMeshCertificateAuthorityOverlap",
            summary = "Stops trusting the previous CA; do it once every proxy has a certificate from the active one")
    Map<String, Integer> endOverlap(@PathVariable String meshName) {
        meshExists(meshName);
        if (store.trusted(meshName).stream().noneMatch(row -> row.state().equals("PREVIOUS"))) {
            throw ApiException.notFound("mesh '" + meshName + "' has no previous CA: no rotation is overlapping");
        }
        int retired = auditor.write(() -> authority.endOverlap(meshName),
                n -> entry("EndMeshCertificateAuthorityOverlap", meshName, "retired=" + n));
        authority.forget(meshName);
        return Map.of("retired", retired);
    }

    private CertificateAuthorityData view(String mesh) {
        return new CertificateAuthorityData(authority.trustBundlePem(mesh),
                store.all(mesh).stream().sorted(Comparator.comparing(SecurityStore.CaRow::id).reversed()).map(row -> {
                    X509Certificate certificate = Pem.certificates(row.certificatePem()).get(0);
                    return new CertificateAuthorityData.Authority(row.state(),
                            certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16),
                            row.notAfter(), row.imported(), row.createdAt());
                }).toList(),
                BuiltInSecrets.IDENTITY, BuiltInSecrets.TRUST);
    }
}
