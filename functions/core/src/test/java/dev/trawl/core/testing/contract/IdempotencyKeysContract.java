package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.port.IdempotencyKeys.IdempotentCreate;
import dev.trawl.core.port.IdempotencyKeys;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IdempotencyKeys}: one job per key and tenant while the key lives; the job and its key are stored together
 * or not at all. The cases named {@code ...AsDynamoDbRefusesIt} are writes DynamoDB's conditions refuse.
 */
public abstract class IdempotencyKeysContract extends JobTableContract {
    private static final IdempotentCreate CREATED = new IdempotentCreate.Created();

    private IdempotentCreate createOnce(Job job, String key, String fingerprint, long nowSeconds, long expiresSeconds) {
        return keys.createOnce(job, key, fingerprint, T0.plusSeconds(nowSeconds), T0.plusSeconds(expiresSeconds));
    }

    @Test
    void createOnceStoresTheJobWithItsKey() {
        Job job = ContractJobs.accepted(tenant);
        assertEquals(CREATED, createOnce(job, "key", "fp", 0, 10));
        assertEquals(job, find(job), "stored as create stores it");
    }

    @Test
    void aSecondJobUnderATakenKeyIsRefusedAsDynamoDbRefusesIt() {
        Job first = ContractJobs.accepted(tenant);
        createOnce(first, "key", "fp", 0, 10);
        Job second = ContractJobs.accepted(tenant);
        assertEquals(new IdempotentCreate.Taken(first.id(), "fp"), createOnce(second, "key", "other", 1, 20));
        assertTrue(jobs.find(tenant, second.id()).isEmpty(), "not stored when the key is taken");
    }

    @Test
    void aKeyIsFreeOnceItsExpiryHasPassedByTheSecond() {
        Job first = ContractJobs.accepted(tenant);
        createOnce(first, "key", "fp", 0, 10);
        Job second = ContractJobs.accepted(tenant);
        assertEquals(new IdempotentCreate.Taken(first.id(), "fp"),
                keys.createOnce(second, "key", "other", T0.plusSeconds(10).plusMillis(999), T0.plusSeconds(20)),
                "expires_at is whole seconds: it has not passed within its own second");
        assertEquals(CREATED, createOnce(second, "key", "other", 11, 20), "the TTL deletes late; the key is free at once");
        Job third = ContractJobs.accepted(tenant);
        assertEquals(new IdempotentCreate.Taken(second.id(), "other"), createOnce(third, "key", "fp", 12, 30));
        assertTrue(jobs.find(tenant, first.id()).isPresent(), "the first job stays; only its key went");
    }

    @Test
    void forgetFreesOnlyAKeyThatPointsAtThatJob() {
        Job first = ContractJobs.accepted(tenant);
        createOnce(first, "key", "fp", 0, 10);
        Job second = ContractJobs.accepted(tenant);
        createOnce(second, "key", "other", 11, 100);
        keys.forget(tenant, "key", first.id());
        Job third = ContractJobs.accepted(tenant);
        assertEquals(new IdempotentCreate.Taken(second.id(), "other"), createOnce(third, "key", "x", 12, 100),
                "the key now points at another job: it stays");
        keys.forget(ContractJobs.newTenant(), "key", second.id());
        assertEquals(new IdempotentCreate.Taken(second.id(), "other"), createOnce(third, "key", "x", 12, 100),
                "another tenant's key of that name");
        keys.forget(tenant, "key", second.id());
        assertEquals(CREATED, createOnce(third, "key", "x", 12, 100));
        keys.forget(tenant, "never-used", third.id());
    }

    @Test
    void keysAreTheTenantsOwn() {
        Job mine = ContractJobs.accepted(tenant);
        createOnce(mine, "key", "fp", 0, 10);
        Job theirs = ContractJobs.accepted(ContractJobs.newTenant());
        assertEquals(CREATED, createOnce(theirs, "key", "fp", 0, 10));
        assertEquals(theirs, jobs.find(theirs.tenant(), theirs.id()).orElseThrow());
    }

    @Test
    void aJobIdInUseIsRefusedWithItsKeyAsDynamoDbRefusesIt() {
        Job job = queued();
        jobs.cancel(tenant, job.id(), T0);
        Job again = Job.accepted(job.id(), tenant, "again", T0, job.input(), job.settings(), null);
        assertThrows(RuntimeException.class, () -> createOnce(again, "key", "fp", 0, 10));
        Job other = ContractJobs.accepted(tenant);
        assertEquals(CREATED, createOnce(other, "key", "fp", 0, 10), "the key was not kept");
        assertEquals(JobStatus.CANCELLING, find(job).status(), "the first job stands");
    }

    @Test
    void requestsWithOneKeyAtOnceCreateOneJob() throws Exception {
        List<Job> candidates = List.of(ContractJobs.accepted(tenant), ContractJobs.accepted(tenant),
                ContractJobs.accepted(tenant), ContractJobs.accepted(tenant));
        List<IdempotentCreate> answers = ContractJobs.atOnce(4, i -> createOnce(candidates.get(i), "key", "fp", 0, 10));
        assertEquals(1, Collections.frequency(answers, CREATED), answers.toString());
        Job winner = candidates.get(answers.indexOf(CREATED));
        for (int i = 0; i < answers.size(); i++) {
            if (i != answers.indexOf(CREATED)) {
                assertEquals(new IdempotentCreate.Taken(winner.id(), "fp"), answers.get(i));
                assertTrue(jobs.find(tenant, candidates.get(i).id()).isEmpty());
            }
        }
        assertInstanceOf(IdempotentCreate.Taken.class, createOnce(ContractJobs.accepted(tenant), "key", "fp", 1, 10));
    }
}
