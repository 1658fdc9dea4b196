package dev.trawl.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.util.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A retry's input, read as it is planned: the entries (with their overrides and {@code meta}) whose rows ended
 * {@code status: "error"} in the original job, in the original's order, one JSON entry per line, as the
 * {@code entries} format reads them. The retry numbers its rows by these lines, not the original's.
 *
 * <p>It walks the original's committed segments in chunk and line order: a segment's part holds the rows of its chunk
 * file's lines from the segment's {@code start} on, one row per line in order (a chunk cut short by its worker's time
 * commits several segments, each with its own part). Committed parts and chunk files never change, so reading again
 * (after a transient failure, or in the plan's next invocation) gives the same lines.
 * Memory holds one segment's errored entries at most.
 */
final class RetryInput extends InputStream {
    private final String originalId;
    private final BlobStore blobs;
    private final Iterator<ChunkResult> segments;
    private byte[] buffer = new byte[0];
    private int position;

    private RetryInput(String originalId, ChunkLedger ledger, BlobStore blobs) {
        this.originalId = originalId;
        this.blobs = blobs;
        this.segments = ledger.committedChunks(originalId).iterator();
    }

    /** The errored entries of {@code originalId}, from its first committed segment. */
    static InputStream of(String originalId, ChunkLedger ledger, BlobStore blobs) {
        return new RetryInput(originalId, ledger, blobs);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, buffer.length - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    /** Makes bytes available, reading segments until one has an errored entry; false at the end. */
    private boolean fill() throws IOException {
        while (position == buffer.length) {
            if (!segments.hasNext()) {
                return false;
            }
            buffer = erroredEntries(segments.next()).getBytes(StandardCharsets.UTF_8);
            position = 0;
        }
        return true;
    }

    private String erroredEntries(ChunkResult segment) throws IOException {
        StringBuilder text = new StringBuilder();
        try (BufferedReader entries = reader(BucketLayout.chunk(originalId, segment.chunk()));
             BufferedReader rows = reader(segment.partKey())) {
            for (int skipped = 0; skipped < segment.start(); ) {
                String line = entries.readLine();
                if (line == null) {
                    throw new IOException("chunk " + segment.chunk() + " of " + originalId + " ends before its segment's start "
                            + segment.start());
                }
                if (!line.isEmpty()) {
                    skipped++;
                }
            }
            for (long read = 0; read < segment.rows(); ) {
                String entryLine = entries.readLine();
                if (entryLine == null) {
                    throw new IOException("chunk " + segment.chunk() + " of " + originalId + " has fewer lines than its "
                            + "segment from " + segment.start() + " has rows");
                }
                if (entryLine.isEmpty()) {
                    continue;
                }
                read++;
                String rowLine = rows.readLine();
                if (rowLine == null) {
                    throw new IOException("the part of chunk " + segment.chunk() + " of " + originalId
                            + " has fewer rows than its segment says");
                }
                JsonNode row = Json.read(rowLine, JsonNode.class);
                InputEntry entry = InputEntry.fromLine(entryLine);
                if (row.path("line").asLong() != entry.line()) {
                    throw new IOException("the part of chunk " + segment.chunk() + " of " + originalId + " has line "
                            + row.path("line").asLong() + " where its chunk file has " + entry.line());
                }
                if ("error".equals(row.path("status").asText())) {
                    text.append(Json.write(entry.entry())).append('\n');
                }
            }
        }
        return text.toString();
    }

    private BufferedReader reader(String key) throws IOException {
        return new BufferedReader(new InputStreamReader(blobs.open(key), StandardCharsets.UTF_8));
    }
}
