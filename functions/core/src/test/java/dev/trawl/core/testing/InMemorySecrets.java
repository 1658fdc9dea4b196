package dev.trawl.core.testing;

import dev.trawl.core.port.Secrets;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Secrets} in memory: a sealed secret is a handle that says nothing of the secret, and opens only for the
 * context it was sealed for, as the KMS one does.
 */
public final class InMemorySecrets implements Secrets {
    private record Sealed(String plaintext, String context) {
    }

    private final Map<String, Sealed> sealed = new ConcurrentHashMap<>();

    @Override
    public String seal(String plaintext, String context) {
        String handle = "sealed:" + UUID.randomUUID();
        sealed.put(handle, new Sealed(plaintext, context));
        return handle;
    }

    @Override
    public String open(String handle, String context) {
        Sealed found = sealed.get(handle);
        if (found == null || !found.context().equals(context)) {
            throw new IllegalStateException("the sealed secret does not open for this context");
        }
        return found.plaintext();
    }
}
