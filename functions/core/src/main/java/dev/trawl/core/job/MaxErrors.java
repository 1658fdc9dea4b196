package dev.trawl.core.job;

import java.math.BigDecimal;
import java.math.RoundingMode;

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
        // In decimal, as the client wrote it: in binary 0.57 % of 10,000 comes out just under 57.
        return percent == null ? count : BigDecimal.valueOf(percent).multiply(BigDecimal.valueOf(urlsTotal))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR).longValueExact();
    }

    /** As the client wrote it: {@code 1000} or {@code "5%"}. */
    public Object wire() {
        if (percent == null) {
            return count;
        }
        return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
    }
}
