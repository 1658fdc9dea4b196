package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.trawl.aws.Environment;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function of the template, as Lambda would run it: the real handler class built by its public no-arg
 * constructor, seeing the function's environment, and every invocation cut off at the template's time-out.
 * One handler instance serves concurrent invocations here (Lambda would start more containers); the
 * handlers keep no per-request state, so that is the same to them.
 */
final class FunctionHost {
    private final Template.FunctionDef definition;
    private final RequestHandler<Object, Object> handler;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();

    @SuppressWarnings("unchecked")
    FunctionHost(Template.FunctionDef definition, Map<String, String> environment) {
        this.definition = definition;
        this.handler = Environment.with(environment, () -> {
            try {
                Class<?> type = Class.forName(definition.handlerClass());
                return (RequestHandler<Object, Object>) type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + definition.handler() + " of " + definition.logicalId(), e);
            }
        });
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
        Future<Object> call = invocations.submit(() -> handler.handleRequest(event, context));
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
