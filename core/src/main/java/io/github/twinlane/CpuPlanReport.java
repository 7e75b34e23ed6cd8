package io.github.twinlane;

import java.util.List;

/**
 * What the CPU plan did on this machine.
 *
 * @param applied whether threads were pinned
 * @param visibleCpus the CPUs the process could use when the runtime started, e.g. {@code 0-3}
 * @param fastCpus the CPUs reserved for the fast lane, empty when not applied
 * @param otherCpus the CPUs everything else runs on, empty when not applied
 * @param fastPriority the SCHED_FIFO priority fast-lane threads got, 0 for normal
 * @param slowNice the slow lane's nice value, or {@link CpuPlan#KEEP_NICE}
 * @param timerSlackNanos the timer slack fast-lane threads got, or -1 when it was not set
 * @param memoryLocked whether the process's memory is locked in RAM
 * @param notes what was skipped or refused, and why, in words
 */
public record CpuPlanReport(boolean applied, String visibleCpus, String fastCpus, String otherCpus,
                            int fastPriority, int slowNice, long timerSlackNanos, boolean memoryLocked,
                            List<String> notes) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CPU plan: ");
        if (applied) {
            sb.append("fast lane on CPU ").append(fastCpus).append(fastPriority > 0
                    ? " (SCHED_FIFO " + fastPriority + ")" : " (normal priority)").append(", everything else on CPU ")
                    .append(otherCpus).append(slowNice != CpuPlan.KEEP_NICE ? " (slow lane nice " + slowNice + ")" : "")
                    .append("; visible ").append(visibleCpus);
            if (timerSlackNanos >= 0) {
                sb.append("; fast-lane timer slack ").append(timerSlackNanos).append(" ns");
            }
            if (memoryLocked) {
                sb.append("; memory locked");
            }
        } else {
            sb.append("not applied, threads are not pinned");
            if (!visibleCpus.isEmpty()) {
                sb.append(" (visible CPUs ").append(visibleCpus).append(')');
            }
        }
        for (String n : notes) {
            sb.append("; ").append(n);
        }
        return sb.toString();
    }
}
