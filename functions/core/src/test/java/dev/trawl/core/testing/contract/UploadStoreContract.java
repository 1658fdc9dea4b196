package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Ids;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link UploadStore}: uploads by tenant, checked once. The cases named {@code ...AsDynamoDbRefusesIt} are writes
 * DynamoDB's conditions refuse.
 */
public abstract class UploadStoreContract {
    private static final Ids IDS = new Ids(Clock.systemUTC());
    private static final Failure TOO_BIG = new Failure("upload_too_large", "over 1 GiB");
    private UploadStore uploads;
    private String tenant;

    /** The store; called once per test. */
    protected abstract UploadStore uploads();

    @BeforeEach
    final void openStore() {
        uploads = uploads();
        tenant = ContractJobs.newTenant();
    }

    private Upload pending() {
        Upload upload = Upload.pending(IDS.next(Ids.UPLOAD), tenant, "urls.csv", T0, 2048L);
        uploads.create(upload);
        return upload;
    }

    private Upload find(Upload upload) {
        return uploads.find(upload.tenant(), upload.id()).orElseThrow();
    }

    @Test
    void createKeepsOnlyWhatANewUploadHas() {
        Upload given = new Upload(IDS.next(Ids.UPLOAD), tenant, null, UploadStatus.PENDING, T0.plusNanos(5), null,
                InputFormat.CSV, 10L, 3L, 1L, TOO_BIG);
        uploads.create(given);
        assertEquals(Upload.pending(given.id(), tenant, null, T0.plusNanos(5), null), find(given));
        Upload signed = pending();
        assertEquals(signed, find(signed));
    }

    @Test
    void reusingAnUploadIdIsRefusedAsDynamoDbRefusesIt() {
        Upload upload = pending();
        uploads.startChecking(tenant, upload.id());
        assertThrows(RuntimeException.class, () -> uploads.create(upload));
        assertEquals(UploadStatus.PROCESSING, find(upload).status(), "the first upload stands");
    }

    @Test
    void checkingStartsOnceFromPending() {
        Upload upload = pending();
        assertFalse(uploads.startChecking(ContractJobs.newTenant(), upload.id()), "another tenant's");
        assertTrue(uploads.startChecking(tenant, upload.id()));
        assertEquals(UploadStatus.PROCESSING, find(upload).status());
        assertFalse(uploads.startChecking(tenant, upload.id()), "once");
        assertFalse(uploads.startChecking(tenant, IDS.next(Ids.UPLOAD)), "no such upload");
        assertTrue(uploads.find(tenant, "upl_none").isEmpty());
    }

    @Test
    void aReadyUploadHasWhatItsCheckFound() {
        Upload upload = pending();
        uploads.startChecking(tenant, upload.id());
        uploads.markInvalid(tenant, upload.id(), 9L, TOO_BIG);
        uploads.markReady(tenant, upload.id(), InputFormat.NDJSON, 2000, 40, 2, "\"9b2cf535f27731c974343645a3985328\"");
        Upload ready = find(upload);
        assertEquals(new Upload(upload.id(), tenant, "urls.csv", UploadStatus.READY, T0, 2048L, InputFormat.NDJSON, 2000L,
                40L, 2L, null, "\"9b2cf535f27731c974343645a3985328\""), ready, "an earlier error is cleared; the ETag kept");
    }

    @Test
    void anInvalidUploadKeepsItsSizeWhenTheCheckFoundNone() {
        Upload upload = pending();
        uploads.markInvalid(tenant, upload.id(), 4096L, TOO_BIG);
        Upload invalid = find(upload);
        assertEquals(UploadStatus.INVALID, invalid.status());
        assertEquals(TOO_BIG, invalid.error());
        assertEquals(4096L, invalid.bytes());
        Failure unreadable = new Failure("unreadable", "not text");
        uploads.markInvalid(tenant, upload.id(), null, unreadable);
        assertEquals(4096L, find(upload).bytes(), "a size not given keeps the one stored");
        assertEquals(unreadable, find(upload).error());
        assertNull(find(upload).format());
    }

    @Test
    void markingAnAbsentUploadIsRefusedAsDynamoDbRefusesIt() {
        Upload upload = pending();
        String other = ContractJobs.newTenant();
        assertThrows(RuntimeException.class, () -> uploads.markReady(other, upload.id(), InputFormat.CSV, 1, 1, 0, "\"e\""));
        assertThrows(RuntimeException.class, () -> uploads.markInvalid(other, upload.id(), 1L, TOO_BIG));
        assertTrue(uploads.find(other, upload.id()).isEmpty(), "no upload is made");
        assertEquals(upload, find(upload), "the owner's is untouched");
    }
}
