package dev.trawl.core.input;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One non-blank line of an input, numbered from 1: the entry it gives (a URL string, or an object with
 * {@code url}, {@code meta} and overrides), or why it is unusable — which still makes a row, {@code invalid_url}.
 */
public record InputEntry(long line, JsonNode entry, String invalid) {
}
