package io.kasper.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * How the bench JVM's heap was set up. A heap that grows while pipelines are timed makes the kernel zero every page
 * the heap takes on (first touch), and G1 sizes the heap by the live data it sees, so the pipeline that holds more
 * records between polls pays most of it; a profile of a default-heap run found 37% of Kasper's loop thread in the
 * kernel's page clearing. A fixed, pre-touched heap measures every pipeline in the steady state of a long-running
 * service, the way the JIT warm-up does for compiled code.
 *
 * @param initialBytes the initial heap ({@code -Xms}), -1 when unknown
 * @param maxBytes the largest heap ({@code -Xmx}), -1 when unknown
 * @param preTouched whether {@code -XX:+AlwaysPreTouch} touched every heap page at start
 */
public record BenchHeap(long initialBytes, long maxBytes, boolean preTouched) {

    /** The JVM flags the README's full run uses: a 2 GiB heap, about the size G1 grows the bench JVM to by itself. */
    public static final String STEADY_FLAGS = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch";

    /** Reads this JVM's heap settings. */
    public static BenchHeap ofThisJvm() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        boolean preTouch = false;
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            preTouch = hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("AlwaysPreTouch").getValue());
        } catch (IllegalArgumentException notHotSpot) {
            // an unknown option: not pre-touched as far as the bench can tell
        }
        return new BenchHeap(heap.getInit(), heap.getMax(), preTouch);
    }

    /** Returns whether the heap cannot grow ({@code -Xms} = {@code -Xmx}) and every page was touched at start. */
    public boolean steady() {
        return initialBytes > 0 && initialBytes == maxBytes && preTouched;
    }

    /** Returns a line for the report: the heap's size and whether it was steady, with the flags when it was not. */
    public String describe() {
        if (steady()) {
            return String.format(Locale.ROOT, "bench JVM heap: fixed at %,d MiB and pre-touched", maxBytes >> 20);
        }
        return String.format(Locale.ROOT, "bench JVM heap: %s from %,d to %,d MiB%s, so the figures include the "
                        + "heap's growth; run java %s -jar kasper-bench.jar for steady-state figures",
                initialBytes == maxBytes ? "fixed" : "grows", initialBytes >> 20, maxBytes >> 20,
                preTouched ? ", pre-touched" : ", not pre-touched", STEADY_FLAGS);
    }
}
