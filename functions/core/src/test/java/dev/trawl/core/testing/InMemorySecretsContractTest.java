package dev.trawl.core.testing;

import dev.trawl.core.port.Secrets;
import dev.trawl.core.testing.contract.SecretsContract;

/** The fake keeps the {@link Secrets} contract that KMS keeps. */
class InMemorySecretsContractTest extends SecretsContract {
    @Override
    protected Secrets secrets() {
        return new InMemorySecrets();
    }
}
