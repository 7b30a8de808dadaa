package dev.meshplane.controlplane.traffic;

import java.util.Map;
import java.util.SortedMap;

/**
 * Quantiles of latency from histogram bins merged across proxies, replicas and buckets, as Prometheus's
 * {@code histogram_quantile} computes them: find the bin holding the quantile's rank and interpolate linearly
 * between its lower and upper bound (samples assumed spread evenly within a bin). The result is off by at most
 * the width of that bin (with Envoy's default bounds, for example, a p99 between 100 and 250 ms is known to
 * within those 150 ms), plus Envoy's own approximation of which bin a sample falls in. A rank in the bin above
 * the last finite bound yields that bound (the least the quantile is).
 */
final class LatencyQuantiles {

    /**
     * Envoy's default histogram bucket bounds in milliseconds ({@code source/common/stats/histogram_impl.cc},
     * {@code HistogramStatisticsImpl::supportedBuckets}). Bins without samples are not stored, so a bin's lower
     * bound is the greater of the previous stored bound and the default bound below it.
     */
    static final double[] ENVOY_BOUNDS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
        300000, 600000, 1800000, 3600000};

    private LatencyQuantiles() {
    }

    private static double envoyBoundBelow(double upper) {
        double below = 0;
        for (double bound : ENVOY_BOUNDS) {
            if (bound < upper) {
                below = bound;
            }
        }
        return below;
    }

    /**
     * @param bins samples per bin upper bound in milliseconds, ascending (positive infinity for the last bin)
     * @param q    the quantile, above 0 and at most 1
     * @return the quantile in milliseconds, or null when there is no sample
     */
    static Double quantile(SortedMap<Double, Long> bins, double q) {
        long total = 0;
        for (long samples : bins.values()) {
            total += samples;
        }
        if (total == 0) {
            return null;
        }
        double rank = q * total;
        double lower = 0;
        long below = 0;
        for (Map.Entry<Double, Long> bin : bins.entrySet()) {
            double upper = bin.getKey();
            long samples = bin.getValue();
            lower = Math.max(lower, envoyBoundBelow(upper));
            if (samples > 0 && below + samples >= rank) {
                return Double.isInfinite(upper) ? lower : lower + (upper - lower) * (rank - below) / samples;
            }
            below += samples;
            lower = upper;
        }
        return lower;
    }
}
