package dev.trawl.core.plan;

import dev.trawl.core.input.InputEntry;
import dev.trawl.core.input.InputReader;
import dev.trawl.core.input.UnreadableInput;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.port.ObjectChanged;
import dev.trawl.core.util.Log;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.zip.ZipException;

/**
 * A job's input as entries, read through failures that pass: a read that breaks (a connection reset, a 5xx, a
 * throttled request) is tried again after a growing pause, the object opened anew and read past the entries already
 * given, a few times in all; then {@link ReadFailed} is thrown, unchecked, so that the plan message comes back later
 * instead of failing the job. What reading again cannot mend (a missing object, a corrupt or oversized gzip) is thrown
 * at once, as it was.
 */
final class InputEntries implements Closeable {
    /** Reads tried again after the first one fails, within one invocation. */
    static final int RETRIES = 3;
    private static final Log LOG = Log.of("planner");

    /** Opens the input from its start. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** A read of the input that kept failing for a reason that may pass: the plan is asked for again later. */
    static final class ReadFailed extends RuntimeException {
        ReadFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    interface Read<T> {
        T read() throws IOException;
    }

    private final String jobId;
    private final Opener opener;
    private final InputFormat format;
    private final Duration backoff;
    private InputReader reader;
    private long given;

    private InputEntries(String jobId, Opener opener, InputFormat format, Duration backoff) {
        this.jobId = jobId;
        this.opener = opener;
        this.format = format;
        this.backoff = backoff;
    }

    static InputEntries open(String jobId, Opener opener, InputFormat format, Duration backoff)
            throws IOException, InterruptedException {
        InputEntries entries = new InputEntries(jobId, opener, format, backoff);
        entries.reader = retried(jobId, backoff, () -> InputReader.open(opener.open(), format));
        return entries;
    }

    boolean hasUrlColumn() {
        return reader.hasUrlColumn();
    }

    /** The next entry, or null at the end. */
    InputEntry next() throws IOException, InterruptedException {
        InputEntry entry = retried(jobId, backoff, () -> {
            if (reader == null) {
                reader = InputReader.open(opener.open(), format);
                for (long skipped = 0; skipped < given; skipped++) {
                    reader.next(); // read before the failure: the same entries, numbered the same
                }
            }
            try {
                return reader.next();
            } catch (IOException | RuntimeException e) {
                closeQuietly();
                throw e;
            }
        });
        if (entry != null) {
            given++;
        }
        return entry;
    }

    /** Runs {@code read}, again after a pause while it fails for a reason that may pass. */
    static <T> T retried(String jobId, Duration backoff, Read<T> read) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.read();
            } catch (IOException | RuntimeException e) {
                if (!passing(e)) {
                    throw e;
                }
                if (attempt > RETRIES) {
                    throw new ReadFailed("reading the input failed " + attempt + " times; the plan is asked for again later", e);
                }
                LOG.warn(jobId, "reading the input failed; it is read again", "attempt", attempt,
                        "error", e.getClass().getSimpleName());
                Thread.sleep(backoff.toMillis() << (attempt - 1));
            }
        }
    }

    /** Whether reading again may succeed: not for a missing object or an input that is itself broken. */
    static boolean passing(Throwable e) {
        return !(e instanceof FileNotFoundException || e instanceof UnreadableInput || e instanceof ZipException
                || e instanceof EOFException || e instanceof ObjectChanged || e instanceof ReadFailed);
    }

    private void closeQuietly() {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the stream broke already
        } finally {
            reader = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
    }
}
