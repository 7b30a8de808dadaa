package dev.meshplane.controlplane.registry;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.registry.HealthStatus;
import dev.meshplane.api.registry.InstanceData;
import dev.meshplane.api.registry.InstanceRules;
import dev.meshplane.api.registry.ListInstancesResponse;
import dev.meshplane.api.registry.RegisterInstanceRequest;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.RegisteredInstance;
import dev.meshplane.persistence.RegistryStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The instance registry, Meshplane's stand-in for AWS Cloud Map. */
@RestController
@RequestMapping("/v1/registry/{namespaceName}/{serviceName}/instances")
@Tag(name = "Registry", description = "Service instances that virtual nodes with awsCloudMap discovery send traffic to")
class RegistryController {

    private final RegistryStore registry;
    private final RegistryWrites writes;

    RegistryController(RegistryStore registry, RegistryWrites writes) {
        this.registry = registry;
        this.writes = writes;
    }

    @PutMapping("/{instanceId}")
    @PreAuthorize("hasPermission({#namespaceName, #serviceName}, 'registryService', 'editor')")
    @Operation(operationId = "RegisterInstance", summary = "Registers an instance, or replaces and renews it",
            description = "Every PUT restarts the TTL. Proxies of nodes that select this service get the change.")
    InstanceData register(@PathVariable String namespaceName, @PathVariable String serviceName,
            @PathVariable String instanceId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = RegisterInstanceRequest.class)))
            @RequestBody(required = false) byte[] body) {
        InstanceRules.checkPath(namespaceName, serviceName, instanceId);
        RegisterInstanceRequest request = RequestDecoder.decode(body, RegisterInstanceRequest.class);
        InstanceRules.checkAttributes(request.attributes());
        HealthStatus health = request.healthStatus() == null ? HealthStatus.HEALTHY : request.healthStatus();
        return view(writes.register(namespaceName, serviceName, instanceId, request.attributes(), health.name(),
                request.ttlSeconds()));
    }

    @GetMapping("/{instanceId}")
    @PreAuthorize("hasPermission({#namespaceName, #serviceName}, 'registryService', 'viewer')")
    @Operation(operationId = "DescribeInstance", summary = "Describes an instance")
    InstanceData describe(@PathVariable String namespaceName, @PathVariable String serviceName,
            @PathVariable String instanceId) {
        InstanceRules.checkPath(namespaceName, serviceName, instanceId);
        return registry.get(namespaceName, serviceName, instanceId).map(RegistryController::view)
                .orElseThrow(() -> notFound(namespaceName, serviceName, instanceId));
    }

    @DeleteMapping("/{instanceId}")
    @PreAuthorize("hasPermission({#namespaceName, #serviceName}, 'registryService', 'editor')")
    @Operation(operationId = "DeregisterInstance", summary = "Deregisters an instance; traffic to it stops")
    InstanceData deregister(@PathVariable String namespaceName, @PathVariable String serviceName,
            @PathVariable String instanceId) {
        InstanceRules.checkPath(namespaceName, serviceName, instanceId);
        return view(writes.deregister(namespaceName, serviceName, instanceId));
    }

    @GetMapping
    @PreAuthorize("hasPermission({#namespaceName, #serviceName}, 'registryService', 'viewer')")
    @Operation(operationId = "ListInstances", summary = "Lists the instances of a service")
    ListInstancesResponse list(@PathVariable String namespaceName, @PathVariable String serviceName) {
        InstanceRules.checkPath(namespaceName, serviceName, null);
        return new ListInstancesResponse(registry.list(namespaceName, serviceName).stream()
                .map(RegistryController::view).toList());
    }


    private static ApiException notFound(String namespace, String service, String instanceId) {
        return ApiException.notFound("instance '" + instanceId + "' of service '" + service + "' in namespace '"
                + namespace + "' is not registered");
    }

    private static InstanceData view(RegisteredInstance i) {
        return new InstanceData(i.namespace(), i.service(), i.instanceId(), i.attributes(),
                HealthStatus.valueOf(i.healthStatus()), i.ttlSeconds(), i.expiresAt(), i.live(Instant.now()),
                i.createdAt(), i.updatedAt());
    }
}
