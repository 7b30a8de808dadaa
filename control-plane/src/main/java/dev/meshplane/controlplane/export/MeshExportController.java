package dev.meshplane.controlplane.export;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.importing.AppMeshJsonFormat;
import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ApplyResource;
import dev.meshplane.api.importing.CloudFormationExporter;
import dev.meshplane.api.importing.ExportOptions;
import dev.meshplane.api.importing.KubernetesExporter;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.TagRef;
import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.TreeMap;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/meshes/{mesh}/export}: a mesh's resources, from one snapshot of the database, as App Mesh JSON,
 * {@code appmesh.k8s.aws/v1beta2} YAML or a CloudFormation template ({@code dev.meshplane.api.importing}'s
 * exporters), which {@code meshplane import} reads back to the same apply document.
 */
@RestController
@Tag(name = "Import and export", description = "A mesh as App Mesh JSON, Kubernetes manifests or CloudFormation")
class MeshExportController {

    private final ResourceStore store;
    private final AppMeshProperties appMesh;

    MeshExportController(ResourceStore store, AppMeshProperties appMesh) {
        this.store = store;
        this.appMesh = appMesh;
    }

    @GetMapping("/v1/meshes/{meshName}/export")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ExportMesh", summary = "A mesh's resources as App Mesh JSON, v1beta2 YAML or CloudFormation",
            description = "json: one describe-* output per resource with its tags and metadata.version; k8s: the App Mesh"
                    + " controller's objects (spec.awsName, routes inline, tags in annotations); cloudformation: AWS::AppMesh::*"
                    + " resources linked by Fn::GetAtt. ARNs are written with this server's region and account.")
    ResponseEntity<String> export(@PathVariable String meshName,
            @Parameter(description = "json (default), k8s or cloudformation") @RequestParam(defaultValue = "json") String format,
            @Parameter(description = "the Kubernetes namespace written (k8s only)") @RequestParam(defaultValue = "default") String namespace) {
        if (!List.of("json", "k8s", "cloudformation").contains(format)) {
            throw ApiException.badRequest("format: '" + format + "' is not one of json, k8s, cloudformation");
        }
        if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw ApiException.badRequest("namespace: '" + namespace + "' is not a Kubernetes namespace name (RFC 1123 label)");
        }
        ApplyDocument document = new ApplyDocument(store.everything(meshName).stream()
                .map(stored -> new ApplyResource(stored.id().kind(), stored.id().mesh(),
                        stored.id().parent().isEmpty() ? null : stored.id().parent(), stored.id().name(),
                        AppMeshJson.mapper().readTree(stored.specJson()),
                        new TreeMap<>(stored.tags()).entrySet().stream().map(e -> new TagRef(e.getKey(), e.getValue())).toList(),
                        stored.version()))
                .toList());
        return switch (format) {
            case "k8s" -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml"))
                    .body(KubernetesExporter.export(document, new ExportOptions(namespace, appMesh.region(), appMesh.accountId())));
            case "cloudformation" -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(CloudFormationExporter.export(document));
            default -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(AppMeshJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(AppMeshJsonFormat.export(document)));
        };
    }
}
