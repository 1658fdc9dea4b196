package dev.trawl.core.input;

import java.io.IOException;

/** The input itself cannot be read (it expands past the limit, say): reading it again gives the same answer. */
public final class UnreadableInput extends IOException {
    public UnreadableInput(String message) {
        super(message);
    }
}
