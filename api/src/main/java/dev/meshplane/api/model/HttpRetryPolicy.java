package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "When and how often an HTTP request is retried.")
public record HttpRetryPolicy(
        @Size(min = 1, max = 25) List<@NotNull @Size(min = 1, max = 25) String> httpRetryEvents,
        @NotNull @Min(0) Long maxRetries,
        @NotNull @Valid Duration perRetryTimeout,
        @Size(min = 1, max = 1) List<@NotNull TcpRetryPolicyEvent> tcpRetryEvents) {
}
