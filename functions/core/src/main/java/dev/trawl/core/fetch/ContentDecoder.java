package dev.trawl.core.fetch;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a {@code Content-Encoding} of gzip or deflate as the body streams in, so that {@code max_bytes} can hold
 * the decoded size (a gzip bomb stops at the limit) without the compressed body ever being kept whole.
 * Concatenated gzip members are decoded one after the other, as {@code gunzip} does.
 */
final class ContentDecoder {
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FHCRC = 2;
    private static final int GZIP_TRAILER = 8;

    private final boolean gzip;
    private final byte[] window = new byte[16 * 1024];
    private Inflater inflater;
    /** Where a gzip member stands: reading its header, inflating, or skipping its trailer. */
    private Stage stage;
    private final GzipHeader header = new GzipHeader();
    private int trailerLeft;
    private boolean done;

    private enum Stage { HEADER, BODY, TRAILER }

    private ContentDecoder(boolean gzip) {
        this.gzip = gzip;
        this.stage = gzip ? Stage.HEADER : Stage.BODY;
        this.inflater = new Inflater(gzip);
    }

    /** A decoder for the encoding, or null when the body is sent as is (or in an encoding this fetcher leaves alone). */
    static ContentDecoder forEncoding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new ContentDecoder(true);
            case "deflate" -> new ContentDecoder(false);
            default -> null;
        };
    }

    /** Whether an encoding is one {@link #forEncoding} decodes. */
    static boolean decodes(String contentEncoding) {
        return forEncoding(contentEncoding) != null;
    }

    /**
     * Decodes what {@code in} holds, handing each decoded piece to {@code out} (a view on a buffer reused by the
     * next call) until {@code out} answers false. Bytes after the end of the encoded stream are ignored.
     *
     * @throws DataFormatException when the bytes are not the encoding they claim
     */
    void feed(ByteBuffer in, Predicate<ByteBuffer> out) throws DataFormatException {
        while (in.hasRemaining() && !done) {
            switch (stage) {
                case HEADER -> {
                    if (header.accept(in)) {
                        stage = Stage.BODY;
                    }
                }
                case BODY -> inflate(in, out);
                case TRAILER -> {
                    int skip = Math.min(trailerLeft, in.remaining());
                    in.position(in.position() + skip);
                    trailerLeft -= skip;
                    if (trailerLeft == 0) {
                        // another gzip member may follow
                        inflater.end();
                        inflater = new Inflater(true);
                        header.reset();
                        stage = Stage.HEADER;
                    }
                }
            }
        }
    }

    private void inflate(ByteBuffer in, Predicate<ByteBuffer> out) throws DataFormatException {
        inflater.setInput(in);
        while (true) {
            int n = inflater.inflate(window);
            if (n > 0 && !out.test(ByteBuffer.wrap(window, 0, n))) {
                done = true;
                return;
            }
            if (inflater.finished()) {
                if (gzip) {
                    stage = Stage.TRAILER;
                    trailerLeft = GZIP_TRAILER;
                } else {
                    done = true;
                }
                return;
            }
            if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                if (inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary is not supported");
                }
                return;
            }
        }
    }

    void close() {
        inflater.end();
    }

    /** Reads a gzip member header byte by byte, since it may be split across any number of buffers. */
    private static final class GzipHeader {
        private int read;
        private int flags;
        private int extraLeft = -1;
        private int extraLengthLow;
        private boolean inName;
        private boolean inComment;
        private int crcLeft;
        private boolean fixedDone;

        void reset() {
            read = 0;
            flags = 0;
            extraLeft = -1;
            inName = false;
            inComment = false;
            crcLeft = 0;
            fixedDone = false;
        }

        /** @return true once the whole header has been read */
        boolean accept(ByteBuffer in) throws DataFormatException {
            while (in.hasRemaining()) {
                // looked at before it is taken, so a body that is not gzip at all is left whole for the caller
                int b = in.get(in.position()) & 0xFF;
                if (!fixedDone) {
                    switch (read) {
                        case 0 -> require(b == 0x1F);
                        case 1 -> require(b == 0x8B);
                        case 2 -> require(b == 8); // deflate, the only method gzip defines
                        case 3 -> flags = b;
                        default -> {
                            // MTIME, XFL, OS: nothing to keep
                        }
                    }
                    in.get();
                    read++;
                    if (read == 10) {
                        fixedDone = true;
                        inName = (flags & FNAME) != 0;
                        inComment = (flags & FCOMMENT) != 0;
                        crcLeft = (flags & FHCRC) != 0 ? 2 : 0;
                        extraLeft = (flags & FEXTRA) != 0 ? -2 : 0;
                        if (extraLeft == 0 && !inName && !inComment && crcLeft == 0) {
                            return true;
                        }
                    }
                    continue;
                }
                in.get();
                if (extraLeft == -2) {
                    extraLengthLow = b;
                    extraLeft = -3;
                } else if (extraLeft == -3) {
                    extraLeft = extraLengthLow | (b << 8);
                } else if (extraLeft > 0) {
                    extraLeft--;
                } else if (inName) {
                    inName = b != 0;
                } else if (inComment) {
                    inComment = b != 0;
                } else if (crcLeft > 0) {
                    crcLeft--;
                }
                if (extraLeft == 0 && !inName && !inComment && crcLeft == 0) {
                    return true;
                }
            }
            return false;
        }

        private static void require(boolean ok) throws DataFormatException {
            if (!ok) {
                throw new DataFormatException("not a gzip stream");
            }
        }
    }
}
