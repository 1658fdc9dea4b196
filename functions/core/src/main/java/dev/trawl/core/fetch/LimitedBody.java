package dev.trawl.core.fetch;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Counts a response body and keeps at most {@code maxBytes} of it; past the limit it cancels the
 * exchange and completes with {@link TooLargeException}, so a huge body is never read to the end.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<Long> {
    private final long maxBytes;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long received;

    LimitedBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    static final class TooLargeException extends RuntimeException {
        TooLargeException(long maxBytes) {
            super("the body is larger than max_bytes (" + maxBytes + ")", null, false, false);
        }
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
        }
        if (received > maxBytes && !result.isDone()) {
            subscription.cancel();
            result.completeExceptionally(new TooLargeException(maxBytes));
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(received);
    }
}
