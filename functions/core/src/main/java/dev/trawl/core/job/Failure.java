package dev.trawl.core.job;

public record Failure(String code, String message) {
}
