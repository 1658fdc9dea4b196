package dev.trawl.local;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS's latency on the local stack: every SDK client of the JVM (the functions', the runtime's pollers', the tests')
 * waits, before each HTTP attempt to a runtime's emulator, as long as that runtime's {@link LatencyProfile} says the
 * call takes on AWS. Calls to other endpoints (another runtime's, a test's own server) are not touched, so runtimes with
 * and without latency can share a JVM. Registered in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}. Presigning makes no HTTP attempt and is never
 * delayed; neither are presigned links, which plain HTTP clients fetch.
 */
public final class AwsLatency implements ExecutionInterceptor {
    /** Emulator port → the runtime it belongs to: the emulators listen on 127.0.0.1, one port each. */
    private static final Map<Integer, Account> BY_PORT = new ConcurrentHashMap<>();

    /**
     * What the interceptor did to one runtime's calls: how many HTTP attempts it saw and how long it made them wait in
     * all. With {@link LatencyProfile#NONE}, it sees the calls and adds nothing.
     */
    public static final class Account {
        private final LatencyProfile profile;
        private final AtomicLong attempts = new AtomicLong();
        private final AtomicLong delayedNanos = new AtomicLong();

        Account(LatencyProfile profile) {
            this.profile = profile;
        }

        public LatencyProfile profile() {
            return profile;
        }

        public long attempts() {
            return attempts.get();
        }

        public Duration delayed() {
            return Duration.ofNanos(delayedNanos.get());
        }
    }

    /** From now on, the calls to those endpoints take as long as {@code profile} says; answers their account. */
    static Account register(LatencyProfile profile, Collection<URI> endpoints) {
        Account account = new Account(profile);
        for (URI endpoint : endpoints) {
            BY_PORT.put(port(endpoint), account);
        }
        return account;
    }

    /** The runtime is gone: its endpoints' calls are no longer its to delay (unless another runtime took the port). */
    static void forget(Account account) {
        BY_PORT.values().removeIf(registered -> registered == account);
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() != -1) {
            return endpoint.getPort();
        }
        return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Account account = BY_PORT.get(context.httpRequest().port());
        if (account == null) {
            return;
        }
        account.attempts.incrementAndGet();
        if (account.profile.isNone()) {
            return;
        }
        Duration delay = account.profile.delay(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        if (delay.isZero()) {
            return;
        }
        long started = System.nanoTime();
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller is being stopped: let the SDK see it
        } finally {
            account.delayedNanos.addAndGet(System.nanoTime() - started);
        }
    }
}
