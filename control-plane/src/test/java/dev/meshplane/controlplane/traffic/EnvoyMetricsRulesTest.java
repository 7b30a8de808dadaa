package dev.meshplane.controlplane.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The time an Envoy metrics message's deltas are judged over. */
class EnvoyMetricsRulesTest {

    @Test
    void aMessageCoversAtMostEnvoysLongestFlushIntervalAndAtLeastOneSecond() {
        // a stream idle for an hour, then an hour's counts in one message: judged as 5 minutes' worth, so the rate
        // limit sees twelve times the rate it would have over the hour (it let anything through before)
        assertThat(EnvoyMetricsRules.coveredSeconds(3_600_000)).isEqualTo(300.0);
        assertThat(EnvoyMetricsRules.coveredSeconds(299_999)).isEqualTo(299.999);
        assertThat(EnvoyMetricsRules.coveredSeconds(5_000)).as("Envoy's default flush interval").isEqualTo(5.0);
        assertThat(EnvoyMetricsRules.coveredSeconds(10)).isEqualTo(1.0);
    }
}
