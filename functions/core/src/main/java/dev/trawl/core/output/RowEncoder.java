package dev.trawl.core.output;

import java.io.IOException;

/** Writes result rows in one file format into one result file. */
public interface RowEncoder {
    /** One row, as the NDJSON line a chunk part holds. */
    void write(String row) throws IOException;

    /** Uncompressed size of what was written so far, for deciding when to measure the file. */
    long written();

    /** Pushes what the encoder holds down to the stream, as far as the format allows, so that its size shows. */
    void flush() throws IOException;

    /** Ends the file (a format's trailer, a compressor's last block); the stream is not closed. */
    void finish() throws IOException;
}
