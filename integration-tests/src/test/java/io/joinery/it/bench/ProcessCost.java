package io.joinery.it.bench;

import java.lang.management.ManagementFactory;

/**
 * This JVM's CPU time and heap allocation over one run, per completed request: quantities a busy
 * machine changes much less than throughput (other processes take cores, not this process' cycles
 * or bytes). They count everything in the JVM, the load generator and any in-JVM remote or
 * receiver too, so compare them between the targets of one benchmark, never across benchmarks.
 */
record ProcessCost(double cpuMicrosPerRequest, double kilobytesPerRequest) {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A run whose cost is measured. */
    @FunctionalInterface
    interface Run {
        LoadGenerator.Measurement run() throws Exception;
    }

    /** A measurement and what it cost. */
    record Costed(LoadGenerator.Measurement measurement, ProcessCost cost) {
    }

    static Costed of(Run run) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long bytes = THREADS.getTotalThreadAllocatedBytes();
        LoadGenerator.Measurement measurement = run.run();
        double requests = Math.max(1, measurement.requests());
        return new Costed(measurement, new ProcessCost((OS.getProcessCpuTime() - cpu) / 1e3 / requests,
                (THREADS.getTotalThreadAllocatedBytes() - bytes) / 1024.0 / requests));
    }
}
