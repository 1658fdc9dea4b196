package dev.trawl.aws;

/** A missing or malformed environment variable, named in the message. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
