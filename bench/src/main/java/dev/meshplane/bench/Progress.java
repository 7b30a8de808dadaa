package dev.meshplane.bench;

import java.io.PrintStream;

/** A one-line progress bar on standard error: {@code cold start [#########-----] 612/1000}. */
final class Progress {

    private static final int WIDTH = 30;

    private final String label;
    private final int total;
    private final PrintStream out;
    private final boolean enabled;
    private int lastShown = -1;

    Progress(String label, int total, boolean enabled) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.out = System.err;
        this.enabled = enabled;
    }

    void step(int done) {
        int filled = (int) ((long) done * WIDTH / total);
        if (!enabled || filled == lastShown && done != total) {
            return;
        }
        lastShown = filled;
        out.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    void end() {
        if (enabled && lastShown >= 0) {
            out.println();
        }
    }
}
