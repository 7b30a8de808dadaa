package dev.meshplane.snapshot;

import dev.meshplane.api.model.DurationUnit;

/** App Mesh durations (a value and a unit) as protobuf durations. */
final class Durations {

    private Durations() {
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
