package dev.trawl.core.intake;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.tenant.TenantUsage;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryTenants;
import dev.trawl.core.testing.InMemoryUploadStore;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file dropped into a tenant's inbox: its job takes the tenant's job defaults; beyond the tenant's ceilings the drop
 * is not lost but ends as a job {@code failed} with the ceiling's code, once per drop.
 */
class InboxTenantSettingsTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final InMemoryTenants tenants = new InMemoryTenants();
    private final MutableClock clock = new MutableClock(NOW);
    private final ReceiveFile receiveFile = new ReceiveFile(new InMemoryUploadStore(), jobs, jobs, blobs, queue, clock,
            new TenantSettingsCache(tenants, clock));

    private String drop(String tenant, String name) {
        String key = BucketLayout.INBOX + tenant + "/" + name;
        blobs.putText(key, "https://example.com/a\n");
        return key;
    }

    private List<Job> jobsOf(String tenant) {
        return jobs.all().stream().filter(job -> job.tenant().equals(tenant)).sorted(Comparator.comparing(Job::id)).toList();
    }

    @Test
    void aDroppedFilesJobTakesTheTenantsJobDefaults() throws Exception {
        JobSettings defaults = TestJobs.settings().concurrency(3).output(new OutputSpec("csv", true)).maxUrls(50).build();
        tenants.put("acme", new TenantSettings(TenantLimits.DEFAULTS, defaults));
        receiveFile.receive(drop("acme", "a.txt"), 22, "e1");
        receiveFile.receive(drop("globex", "a.txt"), 22, "e1");
        assertEquals(defaults, jobsOf("acme").getFirst().settings());
        assertEquals(JobSettings.DEFAULTS, jobsOf("globex").getFirst().settings(), "no settings: a request's defaults");
    }

    @Test
    void tenantSettingsRefuseAWebhookNobodyCouldSeeTheSecretOf() {
        JobSettings withHook = TestJobs.settings().build().withWebhook(
                new Webhook("https://hooks.example/x", "whsec_x"));
        assertThrows(IllegalArgumentException.class, () -> new TenantSettings(TenantLimits.DEFAULTS, withHook));
    }

    @Test
    void aDropBeyondACeilingEndsFailedWithItsCodeOncePerDrop() throws Exception {
        tenants.put("acme", new TenantSettings(new TenantLimits(50, 100, 1, 2_048), null));
        receiveFile.receive(drop("acme", "first.txt"), 22, "e1");
        String second = drop("acme", "second.txt");
        assertTrue(receiveFile.receive(second, 22, "e1"));
        assertTrue(receiveFile.receive(second, 22, "e1"), "S3 notifying twice: the same drop, the same job");

        List<Job> all = jobsOf("acme");
        assertEquals(2, all.size());
        Job refused = all.get(1);
        assertEquals("second.txt", refused.name());
        assertEquals(JobStatus.FAILED, refused.status());
        assertEquals("active_jobs_limit", refused.failure().code());
        assertTrue(refused.failure().message().contains("at most 1 active jobs"), refused.failure().message());
        assertEquals(NOW, refused.completedAt());
        assertFalse(queue.planRequests.contains(new JobRef("acme", refused.id())), "nothing to plan");
        assertEquals(new TenantUsage(1, JobSettings.DEFAULT_CONCURRENCY), jobs.usage("acme"), "the failed job holds nothing");
        assertTrue(blobs.keys(second).contains(second), "the file stays in the inbox");
    }
}
