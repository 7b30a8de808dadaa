package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.ListTagsForResourceResponse;
import dev.meshplane.api.model.TagRef;
import dev.meshplane.api.model.TagResourceRequest;
import dev.meshplane.api.model.UntagResourceRequest;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** App Mesh's tagging operations, addressed by resource ARN. */
@RestController
@RequestMapping("/v20190125")
@Tag(name = "Tags", description = "Tags on any App Mesh resource, addressed by its ARN")
class TagController {

    private final ResourceService service;

    TagController(ResourceService service) {
        this.service = service;
    }

    @GetMapping("/tags")
    @PreAuthorize("hasPermission(#resourceArn, 'resourceArn', 'viewer')")
    @Operation(operationId = "ListTagsForResource", summary = "Lists the tags of a resource, in key order")
    ListTagsForResourceResponse list(@RequestParam(value = "resourceArn", required = false) String resourceArn,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        Page<Map.Entry<String, String>> page = service.listTags(resourceArn, limit, nextToken);
        return new ListTagsForResourceResponse(page.nextToken(),
                page.items().stream().map(e -> new TagRef(e.getKey(), e.getValue())).toList());
    }

    @PutMapping("/tag")
    @PreAuthorize("hasPermission(#resourceArn, 'resourceArn', 'editor')")
    @Operation(operationId = "TagResource", summary = "Adds or replaces tags of a resource",
            description = "More than 50 tags on one resource answers TooManyTagsException.")
    Map<String, Object> tag(@RequestParam(value = "resourceArn", required = false) String resourceArn,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = TagResourceRequest.class)))
            @RequestBody(required = false) byte[] body) {
        TagResourceRequest request = RequestDecoder.decode(body, TagResourceRequest.class);
        service.tag(resourceArn, request.tags());
        return Map.of();
    }

    @PutMapping("/untag")
    @PreAuthorize("hasPermission(#resourceArn, 'resourceArn', 'editor')")
    @Operation(operationId = "UntagResource", summary = "Removes tags from a resource by key")
    Map<String, Object> untag(@RequestParam(value = "resourceArn", required = false) String resourceArn,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UntagResourceRequest.class)))
            @RequestBody(required = false) byte[] body) {
        UntagResourceRequest request = RequestDecoder.decode(body, UntagResourceRequest.class);
        service.untag(resourceArn, request.tagKeys());
        return Map.of();
    }
}
