package dev.trawl.core.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One line of the result, in the contract's field order.
 *
 * @param data the extracted fields of a fetched page, or null when the job extracts nothing or the row is no page
 */
public record ResultRow(long line, String url, FetchOutcome outcome, JsonNode meta, JsonNode data) {

    public ResultRow(long line, String url, FetchOutcome outcome, JsonNode meta) {
        this(line, url, outcome, meta, null);
    }

    public RowStatus status() {
        return outcome.status();
    }

    public static ResultRow invalidUrl(long line, String url, JsonNode meta, Instant now) {
        return invalidUrl(line, url, meta, now, null);
    }

    /** @param reason why the line is unusable, or null for a plain unusable URL */
    public static ResultRow invalidUrl(long line, String url, JsonNode meta, Instant now, String reason) {
        return new ResultRow(line, url, new FetchOutcome(RowStatus.ERROR, null, null, null, 0, 0, 0, now,
                "invalid_url", reason == null ? "not a usable http or https URL" : reason), meta);
    }

    /** A URL naming a non-public address in a spelling no URL parser takes as a host: never fetched. */
    public static ResultRow blocked(long line, String url, JsonNode meta, Instant now) {
        return new ResultRow(line, url, new FetchOutcome(RowStatus.ERROR, null, null, null, 0, 0, 0, now,
                "blocked_target", "the URL names a non-public address"), meta);
    }

    /** A URL not fetched for a reason of the site's: its robots.txt refuses it, or cannot be read. */
    public static ResultRow refused(long line, String url, JsonNode meta, Instant now, String code, String message) {
        return new ResultRow(line, url, new FetchOutcome(RowStatus.ERROR, null, null, null, 0, 0, 0, now, code, message), meta);
    }

    /** A URL not fetched: a dry run, or a job that stopped before it started this URL. */
    public static ResultRow skipped(long line, String url, JsonNode meta, Instant now, String code) {
        return new ResultRow(line, url, new FetchOutcome(RowStatus.SKIPPED, null, null, null, 0, 0, 0, now,
                code, SKIP_MESSAGES.getOrDefault(code, code)), meta);
    }

    private static final java.util.Map<String, String> SKIP_MESSAGES = java.util.Map.of(
            "dry_run", "dry run: not fetched",
            "cancelled", "the job was cancelled before this URL was fetched",
            "max_errors_exceeded", "the job stopped at max_errors before this URL was fetched",
            "lifetime_exceeded", "the job reached max_lifetime_s before this URL was fetched");

    public String toJson() {
        ObjectNode o = Json.object();
        o.put("line", line);
        o.put("url", url);
        o.put("status", outcome.status().wire());
        if (outcome.httpStatus() == null) {
            o.putNull("http_status");
        } else {
            o.put("http_status", outcome.httpStatus());
        }
        o.put("final_url", outcome.finalUrl());
        o.put("content_type", outcome.contentType());
        o.put("bytes", outcome.bytes());
        o.put("elapsed_ms", outcome.elapsedMs());
        o.put("attempts", outcome.attempts());
        o.put("fetched_at", outcome.fetchedAt() == null ? null
                : outcome.fetchedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        if (data == null) {
            o.putNull("data");
        } else {
            o.set("data", data);
        }
        if (meta == null) {
            o.putNull("meta");
        } else {
            o.set("meta", meta);
        }
        if (outcome.errorCode() == null) {
            o.putNull("error");
        } else {
            o.putObject("error").put("code", outcome.errorCode()).put("message", outcome.errorMessage());
        }
        return Json.write(o);
    }
}
