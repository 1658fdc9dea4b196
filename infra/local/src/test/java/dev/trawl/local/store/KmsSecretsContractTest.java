package dev.trawl.local.store;

import dev.trawl.aws.KmsSecrets;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.testing.contract.SecretsContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KMS adapter keeps the {@link Secrets} contract on the local KMS, under the template's key. */
@ExtendWith(LocalStackExtension.class)
class KmsSecretsContractTest extends SecretsContract {
    private final KmsSecrets secrets;

    KmsSecretsContractTest(LocalRuntime runtime) {
        secrets = new KmsSecrets(runtime.clients()::kms, runtime.resource("SecretsKey"));
    }

    @Override
    protected Secrets secrets() {
        return secrets;
    }

    @Test
    void aSealedSecretNamesItsVersion() {
        assertTrue(secrets.seal("whsec_x", "job_1").startsWith("v1."));
    }

    /** Jobs stored before secrets were sealed keep working: their secret is the plain {@code whsec_} string. */
    @Test
    void aSecretStoredBeforeSealingOpensAsItIs() {
        assertEquals("whsec_stored-in-the-clear", secrets.open("whsec_stored-in-the-clear", "job_1"));
    }
}
