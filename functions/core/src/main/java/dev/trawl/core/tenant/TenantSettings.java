package dev.trawl.core.tenant;

import dev.trawl.core.job.JobSettings;

/**
 * A tenant's own settings: its limits, and the settings of the jobs started for it by a file dropped into its inbox
 * (null: the defaults of a job request). Inbox jobs carry no webhook: nobody could be shown its secret.
 */
public record TenantSettings(TenantLimits limits, JobSettings jobDefaults) {
    public static final TenantSettings DEFAULTS = new TenantSettings(TenantLimits.DEFAULTS, null);

    public TenantSettings {
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (jobDefaults != null && jobDefaults.webhook() != null) {
            throw new IllegalArgumentException("inbox job defaults cannot carry a webhook: nobody would see its secret");
        }
    }

    /** The settings of an inbox job. */
    public JobSettings inboxJobSettings() {
        return jobDefaults == null ? JobSettings.DEFAULTS : jobDefaults;
    }
}
