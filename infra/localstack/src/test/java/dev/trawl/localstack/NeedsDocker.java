package dev.trawl.localstack;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class on the runtime on LocalStack ({@link OnLocalStack}): tagged so that only {@code -Plocalstack} runs it
 * (the default build excludes the tag and so never looks for Docker), and skipped with the reason without a Docker
 * engine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(NeedsDocker.TAG)
@ExtendWith(OnLocalStack.class)
@interface NeedsDocker {
    String TAG = "docker";
}
