package dev.trawl.local;

import dev.trawl.core.util.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Lambda's limits on a synchronous invocation, which every API Gateway request and answer passes through. Lambda
 * measures the invocation's JSON: the event going in, the function's answer coming out. Here both are the Java
 * objects' JSON as the service's mapper writes them, within a few bytes of what the Lambda runtime writes.
 */
final class LambdaPayload {
    /** The largest event Lambda takes: "Request must be smaller than 6291456 bytes for the InvokeFunction operation". */
    static final long MAX_EVENT_BYTES = 6_291_456;
    /** The largest answer: "Response payload size exceeded maximum allowed payload size (6291556 bytes)". */
    static final long MAX_ANSWER_BYTES = 6_291_556;

    private LambdaPayload() {
    }

    /** The size of {@code value} as JSON, counted without keeping the text. */
    static long jsonBytes(Object value) {
        Counter counter = new Counter();
        try {
            Json.MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.bytes;
    }

    private static final class Counter extends OutputStream {
        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
