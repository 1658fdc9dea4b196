package dev.trawl.core.testing.contract;

import dev.trawl.core.port.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Secrets}: what is stored says nothing of the secret, and opens only for the job it was sealed for. */
public abstract class SecretsContract {
    private static final String SECRET = "whsec_0123456789abcdefghijklmnopqrstuv";
    private static final String JOB = "job_01JD3F2D1A77B0E1XYZ0000001";
    private static final String OTHER_JOB = "job_01JD3F2D1A77B0E1XYZ0000002";
    private Secrets secrets;

    /** The secrets port; called once per test. */
    protected abstract Secrets secrets();

    @BeforeEach
    final void open() {
        secrets = secrets();
    }

    @Test
    void aSealedSecretOpensForItsJob() {
        assertEquals(SECRET, secrets.open(secrets.seal(SECRET, JOB), JOB));
    }

    @Test
    void theSealedFormHoldsNoPartOfTheSecret() {
        String sealed = secrets.seal(SECRET, JOB);
        assertFalse(sealed.contains(SECRET.substring(6, 20)), sealed);
        assertNotEquals(sealed, secrets.seal(SECRET, JOB), "each seal is its own");
    }

    @Test
    void aSecretSealedForOneJobDoesNotOpenForAnother() {
        String sealed = secrets.seal(SECRET, JOB);
        assertThrows(RuntimeException.class, () -> secrets.open(sealed, OTHER_JOB));
    }

    @Test
    void aBrokenSealDoesNotOpen() {
        String sealed = secrets.seal(SECRET, JOB);
        String broken = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("AA") ? "BB" : "AA");
        assertThrows(RuntimeException.class, () -> secrets.open(broken, JOB));
        assertThrows(RuntimeException.class, () -> secrets.open("v9.nonsense", JOB));
    }
}
