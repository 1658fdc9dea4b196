package dev.trawl.core.port;

import java.io.IOException;

/** An object read as pinned (by its ETag) that is another object now: it was written again since. */
public final class ObjectChanged extends IOException {
    public ObjectChanged(String message) {
        super(message);
    }
}
