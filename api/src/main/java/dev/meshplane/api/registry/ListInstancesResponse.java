package dev.meshplane.api.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The instances of one registry service, by instance id. */
@Schema(description = "The instances of one registry service, in instance id order.")
public record ListInstancesResponse(List<InstanceData> instances) {
}
