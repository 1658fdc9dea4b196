package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.error.TooLarge;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.job.EntryRules;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.FetchOptionsParser;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.submit.JobRequest;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.JsonFields;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a {@code POST /v1/jobs} body into a validated {@link JobRequest}; anything else is refused with the field at fault. */
public final class CreateJobRequest {
    public static final int MAX_INLINE_URLS = 1_000;
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;
    static final int MAX_META_BYTES = EntryRules.MAX_META_BYTES;
    static final int MAX_URL_LENGTH = EntryRules.MAX_URL_LENGTH;
    static final int MAX_REGEX_LENGTH = 1_000;
    static final long MAX_URLS_PER_JOB = Job.MAX_URLS;

    private static final Set<String> TOP_LEVEL = Set.of("name", "input", "defaults", "concurrency", "output",
            "webhook", "max_errors", "regex_filter", "max_urls", "dry_run", "max_lifetime_s", "download_url_ttl_s");
    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(\\S.{0,1023})");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,4})?)%");

    private CreateJobRequest() {
    }

    public static JobRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInput(null, "The request body must be a JSON object.");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new TooLarge("The request body may be at most 6 MiB.");
        }
        JsonNode root = JsonFields.json(body);
        if (!root.isObject()) {
            throw new InvalidInput(null, "The request body must be a JSON object.");
        }
        JsonFields.onlyKnown(root, "", TOP_LEVEL);
        String name = root.hasNonNull("name") ? JsonFields.text(root.get("name"), "name", 256) : null;
        FetchOptions defaults = FetchOptions.DEFAULTS;
        Extraction extraction = null;
        if (root.has("defaults")) {
            JsonNode given = JsonFields.object(root.get("defaults"), "defaults");
            defaults = FetchOptionsParser.apply(FetchOptions.DEFAULTS, given, "defaults", Set.of("extract"));
            if (given.hasNonNull("extract")) {
                extraction = Extraction.parse(given.get("extract"), "defaults.extract");
                extraction = extraction.fields().isEmpty() ? null : extraction;
            }
        }
        JobSettings settings = new JobSettings(
                root.has("concurrency") ? (int) JsonFields.integer(root.get("concurrency"), "concurrency", 1, 256)
                        : JobSettings.DEFAULT_CONCURRENCY,
                root.has("output") ? output(root.get("output")) : OutputSpec.DEFAULT,
                defaults,
                root.has("download_url_ttl_s")
                        ? JsonFields.integer(root.get("download_url_ttl_s"), "download_url_ttl_s", 60, 2_592_000)
                        : JobSettings.DEFAULT_DOWNLOAD_TTL_S,
                root.has("dry_run") && JsonFields.bool(root.get("dry_run"), "dry_run"),
                root.hasNonNull("max_errors") ? maxErrors(root.get("max_errors")) : null,
                root.hasNonNull("regex_filter") ? regex(root.get("regex_filter")) : null,
                root.has("max_urls") ? JsonFields.integer(root.get("max_urls"), "max_urls", 0, MAX_URLS_PER_JOB) : 0,
                root.has("max_lifetime_s") ? JsonFields.integer(root.get("max_lifetime_s"), "max_lifetime_s", 1, 86_400)
                        : JobSettings.DEFAULT_MAX_LIFETIME_S,
                extraction == null ? null : extraction.toJson(),
                root.hasNonNull("webhook") ? Webhook.to(webhookUrl(root.get("webhook"))) : null);
        if (!root.has("input")) {
            throw new InvalidInput("input", "input is required.");
        }
        JsonNode input = JsonFields.object(root.get("input"), "input");
        JsonFields.onlyKnown(input, "input", Set.of("urls", "upload_id", "s3_uri", "role_arn"));
        int ways = (input.has("urls") ? 1 : 0) + (input.has("upload_id") ? 1 : 0) + (input.has("s3_uri") ? 1 : 0);
        if (ways != 1) {
            throw new InvalidInput("input", "input takes exactly one of urls, upload_id and s3_uri.");
        }
        if (input.has("role_arn") && !input.has("s3_uri")) {
            throw new InvalidInput("input.role_arn", "input.role_arn goes with input.s3_uri.");
        }
        if (input.has("s3_uri")) {
            JobRequest.S3Location location = s3Location(JsonFields.text(input.get("s3_uri"), "input.s3_uri", 1100));
            String roleArn = null;
            if (input.hasNonNull("role_arn")) {
                roleArn = JsonFields.text(input.get("role_arn"), "input.role_arn", 2048);
                if (!ROLE_ARN.matcher(roleArn).matches()) {
                    throw new InvalidInput("input.role_arn", "input.role_arn must be an IAM role ARN such as "
                            + "arn:aws:iam::123456789012:role/trawl-reader.");
                }
            }
            return new JobRequest(name, List.of(), settings, null, location, roleArn);
        }
        if (input.has("upload_id")) {
            String uploadId = JsonFields.text(input.get("upload_id"), "input.upload_id", 64);
            if (!Ids.isUploadId(uploadId)) {
                throw new NotFound("No upload with this id.", "input.upload_id");
            }
            return new JobRequest(name, List.of(), settings, uploadId, null, null);
        }
        return new JobRequest(name, entries(input), settings, null, null, null);
    }

    /**
     * A tenant's inbox job defaults, from the fields of a create body that set a job's settings ({@code defaults},
     * {@code concurrency}, {@code output}, {@code max_errors}, …), validated exactly as a create body's; {@code name},
     * {@code input} and {@code webhook} are refused: a dropped file names its job and is its input, and nobody would
     * see the secret of an inbox job's webhook.
     */
    public static JobSettings parseJobDefaults(String json) {
        JsonNode root = JsonFields.json(json == null ? "" : json);
        if (!root.isObject()) {
            throw new InvalidInput(null, "Job defaults must be a JSON object.");
        }
        for (String refused : List.of("name", "input", "webhook")) {
            if (root.has(refused)) {
                throw new InvalidInput(refused, refused + " is not a job default: an inbox drop names its job, is its "
                        + "input, and has no webhook.");
            }
        }
        ObjectNode body = root.deepCopy();
        body.putObject("input").putArray("urls").add("https://example.com/");
        return parse(Json.write(body)).settings();
    }

    /** {@code s3://bucket/key}: a valid bucket name and a key naming one object. */
    private static JobRequest.S3Location s3Location(String uri) {
        Matcher m = S3_URI.matcher(uri);
        if (!m.matches() || m.group(2).endsWith("/")) {
            throw new InvalidInput("input.s3_uri", "input.s3_uri must be s3://bucket/key naming one object.");
        }
        // S3 keys are literal, but HTTP stacks may resolve dot segments: a key with them could read another object.
        for (String segment : m.group(2).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || segment.isEmpty()) {
                throw new InvalidInput("input.s3_uri", "input.s3_uri may not hold empty, '.' or '..' path segments.");
            }
        }
        return new JobRequest.S3Location(m.group(1), m.group(2));
    }

    private static MaxErrors maxErrors(JsonNode node) {
        if (node.isTextual()) {
            Matcher percent = PERCENT.matcher(node.textValue().strip());
            if (percent.matches() && Double.parseDouble(percent.group(1)) <= 100) {
                return MaxErrors.ofPercent(Double.parseDouble(percent.group(1)));
            }
            throw new InvalidInput("max_errors", "max_errors must be a count or a percentage such as \"5%\" (0-100%).");
        }
        return MaxErrors.ofCount(JsonFields.integer(node, "max_errors", 0, MAX_URLS_PER_JOB));
    }

    private static String regex(JsonNode node) {
        String pattern = JsonFields.text(node, "regex_filter", MAX_REGEX_LENGTH);
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidInput("regex_filter", "regex_filter is not a valid regular expression: " + e.getDescription());
        }
        return pattern;
    }

    private static OutputSpec output(JsonNode node) {
        JsonFields.object(node, "output");
        JsonFields.onlyKnown(node, "output", Set.of("format", "gzip"));
        String format = node.has("format") ? JsonFields.text(node.get("format"), "output.format", 16) : "ndjson";
        boolean gzip = node.has("gzip") && JsonFields.bool(node.get("gzip"), "output.gzip");
        switch (format) {
            case "ndjson", "csv" -> { }
            case "parquet" -> {
                if (gzip) {
                    throw new InvalidInput("output.gzip", "A Parquet result is zstd-compressed inside; output.gzip "
                            + "is for ndjson and csv.");
                }
            }
            default -> throw new InvalidInput("output.format", "output.format must be ndjson, csv or parquet.");
        }
        return new OutputSpec(format, gzip);
    }

    private static List<JsonNode> entries(JsonNode input) {
        JsonNode urls = input.get("urls");
        if (urls == null || !urls.isArray()) {
            throw new InvalidInput("input.urls", "input.urls must be an array of URLs.");
        }
        if (urls.isEmpty() || urls.size() > MAX_INLINE_URLS) {
            throw new InvalidInput("input.urls", "input.urls must hold 1 to " + MAX_INLINE_URLS
                    + " entries; upload larger inputs.");
        }
        List<JsonNode> entries = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            JsonNode entry = urls.get(i);
            String field = "input.urls[" + i + "]";
            EntryRules.validate(entry, field);
            entries.add(entry);
        }
        return entries;
    }


    /**
     * A webhook must be an absolute http or https URL with a host; whether its host is a public address is checked
     * when each event is sent, as for fetched URLs, since addresses change.
     */
    private static String webhookUrl(JsonNode value) {
        String url = JsonFields.text(value, "webhook", 2048);
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidInput("webhook", "webhook must be an http or https URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null || uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new InvalidInput("webhook", "webhook must be an http or https URL with a host, and no user or fragment.");
        }
        return url;
    }
}
