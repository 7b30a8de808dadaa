package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "How a virtual node's endpoints are found: DNS or the instance registry.")
@ExactlyOneMember
public record ServiceDiscovery(
        @Valid AwsCloudMapServiceDiscovery awsCloudMap,
        @Valid DnsServiceDiscovery dns) {
}
