package dev.meshplane.controlplane.apply;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Declarative apply for pipelines: a set of resources (App Mesh API shape, {@code appmesh.k8s.aws/v1beta2} YAML
 * or CloudFormation), applied all together or not at all.
 */
@RestController
@Tag(name = "Apply", description = "Declarative apply of App Mesh resources, with dry run, prune and version checks")
class ApplyController {

    private final ApplyService apply;

    ApplyController(ApplyService apply) {
        this.apply = apply;
    }

    /**
     * Editors of at least one mesh may call it; what it would change is then decided resource by resource
     * in {@link ApplyService} by the same permission evaluator (viewer on every mesh named, then each
     * operation's own role).
     */
    @PostMapping("/v1/apply")
    @PreAuthorize("hasPermission(null, 'anyMesh', 'editor')")
    @Operation(operationId = "ApplyResources", summary = "Applies a set of resources in one transaction, or none of them",
            description = "Creates, updates (and with prune=true deletes, within the meshes the document names) so that"
                    + " the meshes hold what the document says; references are resolved in dependency order. With"
                    + " dryRun=true nothing is stored and the plan is returned. A resource not at the version planned"
                    + " against (or the version the document names) is a ConflictException, and nothing is applied."
                    + " Whether routes and gateway routes keep the listeners they are served by and target is"
                    + " checked once every write of the document is done."
                    + " The body is the apply document (JSON) or, with format=k8s|cloudformation|auto or a YAML"
                    + " Content-Type, Kubernetes v1beta2 objects, CloudFormation templates or the apply document in YAML"
                    + " (its AuthorizationPolicy items included), read by the importers with the import options given as"
                    + " query parameters; their report is returned as notes.")
    @ApiResponse(responseCode = "200", description = "The plan, as carried out (or, with dryRun, as it would be)",
            content = @Content(schema = @Schema(implementation = ApplyResult.class)))
    @ApiResponse(responseCode = "400", description = "BadRequestException (or LimitExceededException): a resource"
            + " its Create operation would refuse, an unknown kind, a duplicate, a reference to nothing; the message"
            + " names resources[i] (or, for imported input, the document: request body#i), the resource and the member;"
            + " for YAML or CloudFormation also what the importers refuse (malformed YAML, unknown kinds, references"
            + " to missing resources, an intrinsic that cannot be resolved). Nothing was applied.", content = @Content(schema =
            @Schema(ref = "#/components/schemas/AppMeshError")))
    @ApiResponse(responseCode = "403", description = "ForbiddenException: the caller may not make one of the planned"
            + " changes. Nothing was applied.", content = @Content(schema = @Schema(ref = "#/components/schemas/AppMeshError")))
    @ApiResponse(responseCode = "409", description = "ConflictException: a resource is not at the version the document"
            + " names, or moved while the apply was planned. Nothing was applied.", content = @Content(schema =
            @Schema(ref = "#/components/schemas/AppMeshError")))
    @ApiResponse(responseCode = "503", description = "ServiceUnavailableException: the database is unreachable;"
            + " nothing was applied.", content = @Content(schema = @Schema(ref = "#/components/schemas/AppMeshError")))
    ApplyResult apply(@RequestParam(value = "dryRun", defaultValue = "false") boolean dryRun,
            @RequestParam(value = "prune", defaultValue = "false") boolean prune,
            @Parameter(description = "json (the apply document; the default), k8s (appmesh.k8s.aws/v1beta2 objects),"
                    + " cloudformation (templates, YAML or JSON) or auto (each document as the importers recognise"
                    + " it; the default for a YAML Content-Type)", schema = @Schema(allowableValues = {"json", "k8s",
                    "cloudformation", "auto"})) @RequestParam(value = "format", required = false) String format,
            @Parameter(description = "built-in: ACM certificates and ACM Private CA trusts become Meshplane's own CA"
                    + " (mesh mTLS); without it they are refused") @RequestParam(value = "acm", required = false) String acm,
            @Parameter(description = "the mesh of Kubernetes objects without spec.meshRef")
            @RequestParam(value = "mesh", required = false) String mesh,
            @Parameter(description = "the namespace of Kubernetes objects without metadata.namespace (default: default)")
            @RequestParam(value = "namespace", required = false) String namespace,
            @Parameter(description = "the VirtualRouter (Kubernetes name) that bare kind: Route documents attach to")
            @RequestParam(value = "router", required = false) String router,
            @Parameter(description = "the VirtualGateway (Kubernetes name) of GatewayRoutes without spec.virtualGatewayRef")
            @RequestParam(value = "gateway", required = false) String gateway,
            @Parameter(description = "a CloudFormation parameter value, Key=Value; repeatable")
            @RequestParam(value = "parameter", required = false) List<String> parameters,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ApplyRequest.class)),
                    @Content(mediaType = "application/yaml", schema = @Schema(type = "string", description =
                            "appmesh.k8s.aws/v1beta2 objects or CloudFormation templates, one or more YAML documents")),
                    @Content(mediaType = "application/x-yaml", schema = @Schema(type = "string"))})
            @RequestBody(required = false) byte[] body) {
        ApplyInput.Read read = ApplyInput.read(body, ApplyInput.format(format, contentType),
                ApplyInput.options(mesh, namespace, acm, router, parameters, gateway));
        return apply.apply(read.contents().resources(), read.contents().policies(), dryRun, prune).withNotes(read.notes());
    }
}
