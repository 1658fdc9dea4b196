package dev.trawl.core.output;

import dev.trawl.core.extract.Extraction;

import dev.trawl.core.job.OutputSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Makes the encoder of a result file, by the job's output format. */
@FunctionalInterface
public interface RowEncoders {
    /**
     * @param out        where the file's bytes go (the result part's upload)
     * @param firstPart  whether this is the result's first file (a CSV header goes only there)
     * @throws IllegalArgumentException for a format this encoder set does not write
     */
    RowEncoder open(OutputSpec output, OutputStream out, List<Extraction.Column> dataFields, boolean firstPart) throws IOException;
}
