package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.trawl.aws.Environment;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One function of the template, as Lambda would run it: the real handler class built by its public no-arg
 * constructor, seeing the function's environment, and every invocation cut off at the template's time-out.
 * One handler instance serves concurrent invocations here (Lambda would start more containers); the
 * handlers keep no per-request state, so that is the same to them.
 */
final class FunctionHost {
    private final Template.FunctionDef definition;
    private final Supplier<Container> containers;
    private Container container;
    private RequestHandler<Object, Object> handler;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * What one container of the function sees: its environment, credentials included; and when to start another
     * (null: never), well before those credentials expire, as Lambda does.
     */
    record Container(Map<String, String> environment, Instant replaceAt) {
        Container {
            environment = Map.copyOf(environment);
        }
    }

    FunctionHost(Template.FunctionDef definition, Supplier<Container> containers) {
        this.definition = definition;
        this.containers = containers;
        this.container = containers.get();
        this.handler = build(container);
    }

    @SuppressWarnings("unchecked")
    private RequestHandler<Object, Object> build(Container container) {
        return Environment.with(container.environment(), () -> {
            try {
                Class<?> type = Class.forName(definition.handlerClass());
                return (RequestHandler<Object, Object>) type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + definition.handler() + " of " + definition.logicalId(), e);
            }
        });
    }

    /** The handler of the current container; a new container (a cold start) once the old one's time is up. */
    private synchronized RequestHandler<Object, Object> current() {
        if (container.replaceAt() != null && !Instant.now().isBefore(container.replaceAt())) {
            container = containers.get();
            handler = build(container);
        }
        return handler;
    }

    synchronized Map<String, String> environment() {
        return container.environment();
    }

    String name() {
        return definition.logicalId();
    }

    /** Thrown when an invocation fails or runs past its time-out, as Lambda reports a function error. */
    static final class InvocationFailed extends Exception {
        InvocationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Object invoke(Object event) throws InvocationFailed {
        LocalContext context = new LocalContext(definition.logicalId(), definition.memoryMb(), definition.timeoutSeconds());
        RequestHandler<Object, Object> target = current();
        Future<Object> call = invocations.submit(() -> target.handleRequest(event, context));
        try {
            return call.get(definition.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new InvocationFailed(definition.logicalId() + " timed out after " + definition.timeoutSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new InvocationFailed(definition.logicalId() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new InvocationFailed(definition.logicalId() + " was interrupted", e);
        }
    }

    void close() {
        invocations.shutdownNow();
    }
}
