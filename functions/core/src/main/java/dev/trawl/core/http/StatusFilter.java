package dev.trawl.core.http;

import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.job.JobStatus;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The {@code status} query parameter: states, {@code active}, {@code terminal} or {@code all}, in comma lists or repeated. */
final class StatusFilter {
    static final Set<JobStatus> ACTIVE = EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING);
    static final Set<JobStatus> TERMINAL = EnumSet.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);

    private StatusFilter() {
    }

    /** The states the values name; null for every state ({@code all}, or all of them named). */
    static Set<JobStatus> parse(List<String> values) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        boolean all = false;
        for (String value : values) {
            for (String word : value.split(",", -1)) {
                String w = word.strip().toLowerCase(Locale.ROOT);
                switch (w) {
                    case "all" -> all = true;
                    case "active" -> statuses.addAll(ACTIVE);
                    case "terminal" -> statuses.addAll(TERMINAL);
                    default -> {
                        try {
                            statuses.add(JobStatus.fromWire(w));
                        } catch (IllegalArgumentException e) {
                            throw new InvalidInput("status", "Unknown status '" + word + "': use queued, running, "
                                    + "cancelling, completed, failed, cancelled, active, terminal or all.");
                        }
                    }
                }
            }
        }
        return all || statuses.size() == JobStatus.values().length ? null : statuses;
    }
}
