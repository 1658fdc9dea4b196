package dev.trawl.core.output;

import dev.trawl.core.util.Hashing;
import dev.trawl.core.util.Ids;
import dev.trawl.core.view.PartLinks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Download links that need no API key and live exactly {@code download_url_ttl_s} from the job's completion, up to 30
 * days: {@code {api}/v1/results/{token}}, where the token names the tenant, the job, the part and the expiry, with a
 * MAC over them. The API answers it with a short-lived storage link signed at that moment, so a link outlives whatever
 * credentials were current when it was handed out, and a storage signature's own 7-day limit.
 */
public final class DownloadLinks {
    public static final String PATH = "/v1/results/";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private static final int MAX_TOKEN = 512;
    private static final Pattern FIELDS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}\\|" + Ids.pattern(Ids.JOB) + "\\|\\d{1,5}\\|\\d{1,15}");
    private final byte[] key;

    public DownloadLinks(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the link key must be at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** What a token stands for. */
    public record Target(String tenant, String jobId, int part, Instant expiresAt) {
    }

    /** Links under {@code api}, the API's public base URL (e.g. {@code https://abc.execute-api.eu-west-1.amazonaws.com}). */
    public PartLinks under(URI api) {
        String base = api.toString().endsWith("/") ? api.toString().substring(0, api.toString().length() - 1) : api.toString();
        return (job, index) -> URI.create(base + PATH + token(new Target(job.tenant(), job.id(), index,
                job.linksExpireAt().truncatedTo(ChronoUnit.MILLIS))));
    }

    String token(Target target) {
        String fields = target.tenant() + "|" + target.jobId() + "|" + target.part() + "|" + target.expiresAt().toEpochMilli();
        return ENCODER.encodeToString(fields.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(fields));
    }

    /** The target of a token this service issued, expired or not; empty for anything else (edited, made up, cut). */
    public Optional<Target> read(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        try {
            String fields = new String(DECODER.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            // Compared as issued: base64 leaves slack bits in a part's last character.
            if (!FIELDS.matcher(fields).matches() || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    (ENCODER.encodeToString(fields.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(fields)))
                            .getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
            String[] parts = fields.split("\\|");
            return Optional.of(new Target(parts[0], parts[1], Integer.parseInt(parts[2]),
                    Instant.ofEpochMilli(Long.parseLong(parts[3]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String fields) {
        return Arrays.copyOf(Hashing.hmacSha256(key, "result-link\n" + fields), MAC_BYTES);
    }
}
