package dev.meshplane.snapshot;

import dev.meshplane.api.model.DurationUnit;

/** App Mesh durations (a value and a unit) as protobuf durations. */
final class Durations {

    /** Envoy's max_ejection_time when unset (upstream/outlier_detection_impl.h: DEFAULT_MAX_EJECTION_TIME_MS, 300 s). */
    static final long ENVOY_MAX_EJECTION_TIME_MS = 300_000;

    /** Envoy's default base_ejection_time (DEFAULT_BASE_EJECTION_TIME_MS, 30 s). */
    static final long ENVOY_BASE_EJECTION_TIME_MS = 30_000;

    private Durations() {
    }

    /** A protobuf duration in whole milliseconds, as Envoy reads it (PROTOBUF_GET_MS_OR_DEFAULT). */
    static long millis(com.google.protobuf.Duration duration) {
        return duration.getSeconds() * 1000 + duration.getNanos() / 1_000_000;
    }

    static com.google.protobuf.Duration of(dev.meshplane.api.model.Duration duration) {
        long millis = duration.unit() == DurationUnit.S ? duration.value() * 1000 : duration.value();
        return ofMillis(millis);
    }

    static com.google.protobuf.Duration ofMillis(long millis) {
        return com.google.protobuf.Duration.newBuilder()
                .setSeconds(millis / 1000)
                .setNanos((int) (millis % 1000) * 1_000_000)
                .build();
    }
}
