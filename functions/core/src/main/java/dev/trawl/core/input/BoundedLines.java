package dev.trawl.core.input;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;

/**
 * Lines of a stream, each cut at {@code maxChars}: the rest of an over-long line is read past, not held, so one
 * huge line cannot exhaust the heap. Ends of line are {@code \n}, {@code \r\n} or {@code \r}.
 */
final class BoundedLines {
    /** A line, and whether it was longer than the limit (and so cut). */
    record Line(String text, boolean cut) {
    }

    private final PushbackReader reader;
    private final int maxChars;

    BoundedLines(Reader reader, int maxChars) {
        this.reader = new PushbackReader(reader, 1);
        this.maxChars = maxChars;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        StringBuilder text = new StringBuilder();
        boolean cut = false;
        boolean any = false;
        while (true) {
            int c = reader.read();
            if (c == -1) {
                return any ? new Line(text.toString(), cut) : null;
            }
            any = true;
            if (c == '\n') {
                return new Line(text.toString(), cut);
            }
            if (c == '\r') {
                int after = reader.read();
                if (after != '\n' && after != -1) {
                    reader.unread(after);
                }
                return new Line(text.toString(), cut);
            }
            if (text.length() < maxChars) {
                text.append((char) c);
            } else {
                cut = true;
            }
        }
    }
}
