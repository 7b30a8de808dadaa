package dev.meshplane.controlplane.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description's front matter, and App Mesh's error responses on every operation. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String ERROR_SCHEMA = "AppMeshError";

    @Bean
    OpenAPI meshplaneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Meshplane").version("2019-01-25")
                        .description("A self-hosted Envoy control plane that speaks the AWS App Mesh API. The"
                                + " /v20190125 operations are wire-compatible with App Mesh (restJson1): point the AWS"
                                + " CLI or an AWS SDK at this server with an endpoint override. Extensions: responses"
                                + " carry an ETag with the resource version, and updates and deletes honour"
                                + " an If-Match header with the version read (412 PreconditionFailedException when stale)."
                                + " A web console at /ui/ shows the meshes, each mesh's live service graph (ListMeshes,"
                                + " GET /v1/meshes/{mesh}/graph), each virtual node's traffic and its proxies (ListProxies,"
                                + " DescribeProxyConfig), calling these operations with the bearer token it asks for.")
                        .license(new License().name("Apache-2.0")))
                // Swagger UI's Authorize button takes a bearer token (AWS clients sign with SigV4 instead)
                .components(new Components().addSecuritySchemes("bearer", new io.swagger.v3.oas.models.security.SecurityScheme()
                        .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A Meshplane API token (POST /v1/tokens). With authentication on, every call needs"
                                + " one, or an AWS SigV4 signature made with a Meshplane access key.")))
                .addSecurityItem(new io.swagger.v3.oas.models.security.SecurityRequirement().addList("bearer"));
    }

    /** Adds the errors each kind of operation can answer, in App Mesh's error shape. */
    @Bean
    OpenApiCustomizer appMeshErrors() {
        Schema<?> error = new ObjectSchema()
                .description("Every error: the HTTP status, an x-amzn-ErrorType header naming the error type"
                        + " (BadRequestException, NotFoundException, ...), and this body.")
                .addProperty("message", new StringSchema().description("What is wrong, naming the offending member"));
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(ERROR_SCHEMA, error);
            openApi.getPaths().forEach((path, item) -> addErrors(path, item));
        };
    }

    private static void addErrors(String path, PathItem item) {
        item.readOperationsMap().forEach((method, operation) -> {
            if (path.startsWith("/v20190125")) {
                addErrors(method, operation);
            } else if (path.endsWith("/bootstrap") && method == PathItem.HttpMethod.GET) {
                addStaleHeader(operation);
            }
        });
    }

    /** A read answered from memory while the database is away says so, and how old it may be. */
    private static void addStaleHeader(Operation operation) {
        if (operation.getResponses().get("200") != null) {
            operation.getResponses().get("200").addHeaderObject(StaleAnswer.HEADER, new Header()
                    .description("Present only on an answer from this replica's memory while the database is"
                            + " unreachable: the seconds since it became unreachable. The answer is what this replica"
                            + " last read, current until then (docs/operations.md, \"When the database is away\").")
                    .schema(new io.swagger.v3.oas.models.media.IntegerSchema()));
        }
    }

    private static void addErrors(PathItem.HttpMethod method, Operation operation) {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "BadRequestException: a member is missing, malformed or out of range (the message names it),"
                + " a text holds a control character or an unpaired surrogate, a query parameter is given twice, the path holds a ';' (raw or %3B);"
                + " LimitExceededException or TooManyTagsException when a quota is reached");
        errors.put("404", "NotFoundException: the mesh or resource does not exist");
        boolean write = method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.DELETE;
        if (write) {
            errors.put("409", method == PathItem.HttpMethod.DELETE
                    ? "ResourceInUseException: other resources still depend on this one"
                    : "ConflictException: a resource with this name already exists");
            errors.put("412", "PreconditionFailedException: If-Match names a version that is no longer current");
            errors.put("413", "BadRequestException: the request body is larger than the configured maximum");
        }
        errors.put("500", "InternalServerErrorException: a fault of the server, logged with an incident id");
        errors.put("503", (write ? "ServiceUnavailableException: the database is unreachable; nothing was changed."
                : "ServiceUnavailableException: the database is unreachable and this replica holds no answer to this"
                        + " read (see x-meshplane-stale on 200).")
                + " Retry after the seconds in Retry-After (the AWS SDKs and CLI retry by themselves)");
        if (method == PathItem.HttpMethod.GET) {
            addStaleHeader(operation);
        }
        errors.forEach((status, description) -> {
            if (operation.getResponses().get(status) == null) {
                ApiResponse response = errorResponse(description);
                if (status.equals("503")) {
                    response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                            .schema(new io.swagger.v3.oas.models.media.IntegerSchema()));
                }
                operation.getResponses().addApiResponse(status, response);
            }
        });
    }

    private static ApiResponse errorResponse(String description) {
        return new ApiResponse().description(description)
                .addHeaderObject(AppMeshErrorHandler.ERROR_TYPE_HEADER,
                        new Header().description("The error type").schema(new StringSchema()))
                .content(new Content().addMediaType("application/json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA))));
    }
}
