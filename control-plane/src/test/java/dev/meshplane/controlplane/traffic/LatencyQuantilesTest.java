package dev.meshplane.controlplane.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Quantiles from merged histogram bins: linear within the bin holding the rank, as Prometheus's histogram_quantile. */
class LatencyQuantilesTest {

    private static SortedMap<Double, Long> bins(double... boundsAndSamples) {
        SortedMap<Double, Long> bins = new TreeMap<>();
        for (int i = 0; i < boundsAndSamples.length; i += 2) {
            bins.put(boundsAndSamples[i], (long) boundsAndSamples[i + 1]);
        }
        return bins;
    }

    @Test
    void interpolatesWithinTheBinHoldingTheRank() {
        // 100 samples: 50 in (5, 10], 50 in (10, 25]
        SortedMap<Double, Long> bins = bins(10, 50, 25, 50);
        assertThat(LatencyQuantiles.quantile(bins, 0.5)).as("the 50th sample closes the first bin").isEqualTo(10.0);
        assertThat(LatencyQuantiles.quantile(bins, 0.25)).as("half way into (5, 10]: Envoy's bound below 10 is 5")
                .isCloseTo(7.5, within(1e-9));
        assertThat(LatencyQuantiles.quantile(bins, 0.99)).isCloseTo(10 + 15 * 49 / 50.0, within(1e-9));
    }

    @Test
    void anEmptyBinBelowDoesNotWidenTheBin() {
        // nothing stored for (100, 250]: the samples at 500 lie in (250, 500], not (100, 500]
        SortedMap<Double, Long> bins = bins(100, 10, 500, 10);
        assertThat(LatencyQuantiles.quantile(bins, 0.75)).isCloseTo(375.0, within(1e-9));
    }

    @Test
    void binsMergedFromSeveralReportsAddUp() {
        SortedMap<Double, Long> merged = bins(1, 30, 5, 60);
        bins(1, 70, 5, 40).forEach((bound, samples) -> merged.merge(bound, samples, Long::sum));
        // 100 in (0.5, 1], 100 in (1, 5]
        assertThat(LatencyQuantiles.quantile(merged, 0.5)).isEqualTo(1.0);
        assertThat(LatencyQuantiles.quantile(merged, 0.75)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void aRankAboveTheLastBoundIsThatBoundAndNoSampleIsNull() {
        assertThat(LatencyQuantiles.quantile(bins(3600000, 1, Double.POSITIVE_INFINITY, 99), 0.99)).isEqualTo(3600000.0);
        assertThat(LatencyQuantiles.quantile(bins(Double.POSITIVE_INFINITY, 5), 0.5)).as("all above Envoy's last bound")
                .isEqualTo(3600000.0);
        assertThat(LatencyQuantiles.quantile(new TreeMap<>(), 0.5)).isNull();
    }
}
