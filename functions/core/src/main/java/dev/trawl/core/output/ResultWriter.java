package dev.trawl.core.output;

import dev.trawl.core.extract.Extraction;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.port.BlobStore;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes result rows, streamed, into one or more result files of the job's format: a new part begins, at a row's
 * end, once a part reaches the split size. Each part is complete by itself (its own gzip stream or Parquet file;
 * the CSV header only in the first part), so the parts, decompressed and joined in order, are the whole result.
 */
public final class ResultWriter implements AutoCloseable {
    private final BlobStore blobs;
    private final String tenant;
    private final String jobId;
    private final OutputSpec output;
    private final long splitBytes;
    private final List<Extraction.Column> dataFields;
    private final RowEncoders encoders;
    private final List<WrittenPart> written = new ArrayList<>();
    private Part part;

    /** A finished result file. */
    public record WrittenPart(String key, long bytes, long rows, String sha256) {
    }

    public ResultWriter(BlobStore blobs, String tenant, String jobId, OutputSpec output, long splitBytes,
                        List<Extraction.Column> dataFields) {
        this(blobs, tenant, jobId, output, splitBytes, dataFields, new TextEncoders());
    }

    public ResultWriter(BlobStore blobs, String tenant, String jobId, OutputSpec output, long splitBytes,
                        List<Extraction.Column> dataFields, RowEncoders encoders) {
        this.encoders = encoders;
        this.blobs = blobs;
        this.tenant = tenant;
        this.jobId = jobId;
        this.output = output;
        this.splitBytes = splitBytes;
        this.dataFields = List.copyOf(dataFields);
    }

    public static String partKey(String tenant, String jobId, int number, OutputSpec output) {
        return BucketLayout.resultPart(tenant, jobId, number, output.extension());
    }

    /** One row, as the NDJSON line a chunk part holds. */
    public void row(String line) throws IOException {
        if (part == null) {
            part = new Part(written.size() + 1);
        }
        part.write(line);
        if (part.bytes() >= splitBytes) {
            written.add(part.finish());
            part = null;
        }
    }

    /** Finishes the last part; a result without rows is one file all the same (empty, or a CSV header). */
    public List<WrittenPart> finish() throws IOException {
        if (part == null && written.isEmpty()) {
            part = new Part(1);
        }
        if (part != null) {
            written.add(part.finish());
            part = null;
        }
        return List.copyOf(written);
    }

    @Override
    public void close() throws IOException {
        if (part != null) {
            part.upload.close();
            part = null;
        }
    }

    private final class Part {
        private final String key;
        private final BlobStore.Upload upload;
        private final MessageDigest sha256;
        private final Counting counted;
        private final RowEncoder encoder;
        private long rows;
        /** The uncompressed size at which the file's size is next worth measuring. */
        private long nextCheck;

        Part(int number) throws IOException {
            this.key = partKey(tenant, jobId, number, output);
            this.upload = blobs.create(key, output.contentType());
            this.sha256 = sha256();
            this.counted = new Counting(new DigestOutputStream(upload.stream(), sha256));
            this.encoder = encoders.open(output, counted, dataFields, number == 1);
            this.nextCheck = splitBytes;
        }

        void write(String line) throws IOException {
            encoder.write(line);
            rows++;
        }

        /**
         * The file's size so far, once it may have reached the split size. Compressed output never outgrows the text
         * by much, so nothing is measured until the text itself reaches the split size; after a measurement, not
         * before as much text as the size was still short by. A part is thus measured a few times, not at every row.
         */
        long bytes() throws IOException {
            if (encoder.written() < nextCheck) {
                return 0;
            }
            encoder.flush();
            long size = counted.count;
            nextCheck = encoder.written() + Math.max(1, splitBytes - size);
            return size;
        }

        WrittenPart finish() throws IOException {
            encoder.finish();
            upload.commit();
            upload.close();
            return new WrittenPart(key, counted.count, rows, HexFormat.of().formatHex(sha256.digest()));
        }
    }

    private static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
