package dev.trawl.finalizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

import java.util.HashMap;

/** Parquet's hook for writing records, handing each row to {@link ParquetRows}. */
final class RowWriteSupport extends WriteSupport<JsonNode> {
    private final ParquetRows rows;
    private RecordConsumer consumer;

    RowWriteSupport(ParquetRows rows) {
        this.rows = rows;
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(rows.schema(), new HashMap<>());
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return new WriteContext(rows.schema(), new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(JsonNode row) {
        rows.write(row, consumer);
    }
}
