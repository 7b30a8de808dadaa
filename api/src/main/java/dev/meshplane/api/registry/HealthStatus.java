package dev.meshplane.api.registry;

/** Health an instance reports for itself. */
public enum HealthStatus {
    HEALTHY,
    UNHEALTHY
}
