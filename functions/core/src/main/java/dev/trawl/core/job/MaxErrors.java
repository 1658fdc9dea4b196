package dev.trawl.core.job;

/** {@code max_errors}: a count of errored URLs, or a percentage of the job's URLs, past which the job stops. */
public record MaxErrors(long count, Double percent) {

    public static MaxErrors ofCount(long count) {
        return new MaxErrors(count, null);
    }

    public static MaxErrors ofPercent(double percent) {
        return new MaxErrors(0, percent);
    }

    /** The most errored URLs allowed for a job of {@code urlsTotal} URLs; one more stops it. */
    public long allowed(long urlsTotal) {
        return percent == null ? count : (long) Math.floor(urlsTotal * percent / 100.0);
    }

    /** As the client wrote it: {@code 1000} or {@code "5%"}. */
    public Object wire() {
        if (percent == null) {
            return count;
        }
        return (percent == Math.rint(percent) ? Long.toString(percent.longValue()) : percent.toString()) + "%";
    }
}
