package dev.trawl.finalizer;

import io.airlift.compress.zstd.ZstdCompressor;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * ZSTD for Parquet pages without Hadoop: parquet-java's own factory reaches ZSTD only through Hadoop's codecs.
 * Write only; aircompressor's pure-Java compressor (level 3).
 */
final class ZstdCodecFactory implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.ZSTD) {
            throw new UnsupportedOperationException("this factory writes ZSTD only, not " + codec);
        }
        ZstdCompressor zstd = new ZstdCompressor();
        return new BytesInputCompressor() {
            private byte[] buffer = new byte[0];

            @Override
            public BytesInput compress(BytesInput page) throws java.io.IOException {
                byte[] input = page.toByteArray();
                int max = zstd.maxCompressedLength(input.length);
                if (buffer.length < max) {
                    buffer = new byte[max];
                }
                // Parquet copies the compressed page at once, so the buffer serves the next page too.
                int length = zstd.compress(input, 0, input.length, buffer, 0, max);
                return BytesInput.from(buffer, 0, length);
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.ZSTD;
            }

            @Override
            public void release() {
                buffer = new byte[0];
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("write-only codec factory");
    }

    @Override
    public void release() {
    }
}
