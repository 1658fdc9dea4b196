package dev.trawl.core.fetch;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.zip.DataFormatException;

/**
 * Reads a response body as it streams in: decodes gzip/deflate, counts the decoded bytes against
 * {@code maxBytes} and cancels the exchange past it ({@link TooLargeException}), so a huge or bomb-like body is
 * never read to the end; keeps the first {@code keepBytes} decoded bytes for extraction and nothing more.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<LimitedBody.Body> {
    private final long maxBytes;
    private final int keepBytes;
    private final ContentDecoder decoder;
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long received;
    private byte[] kept = new byte[0];
    private int keptLength;
    /** Set when the body is not the encoding it claims: the rest is counted as it comes, undecoded. */
    private boolean undecodable;

    /** @param contentEncoding the response's {@code Content-Encoding}, or null */
    LimitedBody(long maxBytes, int keepBytes, String contentEncoding) {
        this.maxBytes = maxBytes;
        this.keepBytes = keepBytes;
        this.decoder = ContentDecoder.forEncoding(contentEncoding);
    }

    /**
     * @param bytes the decoded size (the raw size for an encoding this fetcher does not decode)
     * @param kept  the first bytes of the decoded body, at most {@code keepBytes}
     */
    record Body(long bytes, byte[] kept, int keptLength) {
    }

    static final class TooLargeException extends RuntimeException {
        TooLargeException(long maxBytes) {
            super("the body is larger than max_bytes (" + maxBytes + ")", null, false, false);
        }
    }

    @Override
    public CompletionStage<Body> getBody() {
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
            if (result.isDone()) {
                return;
            }
            if (decoder == null || undecodable) {
                take(buffer);
                continue;
            }
            try {
                decoder.feed(buffer, this::take);
                if (result.isDone()) {
                    return;
                }
            } catch (DataFormatException e) {
                undecodable = true;
                take(buffer);
            }
        }
    }

    /** @return whether to go on reading */
    private boolean take(ByteBuffer decoded) {
        if (result.isDone()) {
            return false;
        }
        int n = decoded.remaining();
        received += n;
        if (received > maxBytes) {
            subscription.cancel();
            release();
            result.completeExceptionally(new TooLargeException(maxBytes));
            return false;
        }
        int room = keepBytes - keptLength;
        if (room > 0) {
            int take = Math.min(room, n);
            if (keptLength + take > kept.length) {
                kept = Arrays.copyOf(kept, (int) Math.min(keepBytes, Math.max(keptLength + take, 2L * kept.length)));
            }
            decoded.get(kept, keptLength, take);
            keptLength += take;
        }
        return true;
    }

    @Override
    public void onError(Throwable error) {
        release();
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        release();
        result.complete(new Body(received, kept, keptLength));
    }

    private void release() {
        if (decoder != null) {
            decoder.close();
        }
    }
}
