package dev.meshplane.controlplane.apply;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Declarative apply for pipelines: a set of resources in App Mesh API shape, applied all together or not at all. */
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
                    + " against (or the version the document names) is a ConflictException, and nothing is applied.")
    @ApiResponse(responseCode = "200", description = "The plan, as carried out (or, with dryRun, as it would be)",
            content = @Content(schema = @Schema(implementation = ApplyResult.class)))
    @ApiResponse(responseCode = "400", description = "BadRequestException (or LimitExceededException): a resource"
            + " its Create operation would refuse, an unknown kind, a duplicate, a reference to nothing; the message"
            + " names resources[i], the resource and the member. Nothing was applied.", content = @Content(schema =
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
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = ApplyRequest.class)))
            @RequestBody(required = false) byte[] body) {
        ApplyDocument.Contents document = ApplyDocument.read(body);
        return apply.apply(document.resources(), document.policies(), dryRun, prune);
    }
}
