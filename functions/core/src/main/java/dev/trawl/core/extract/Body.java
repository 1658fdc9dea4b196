package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One response body and the forms extraction reads it in, each made at most once and only when a field asks:
 * the HTML document, the JSON tree, the decoded text. A form that cannot be made is null. Not thread-safe: one per
 * page.
 */
final class Body {
    enum Kind { HTML, JSON, BINARY }

    /** As far as jsoup looks for a {@code <meta charset>}, so that the text and the document agree. */
    private static final int CHARSET_WINDOW = 5 * 1024;
    private static final int SNIFF_WINDOW = 1024;

    private final byte[] bytes;
    private final int length;
    private final String contentType;
    private final Kind kind;
    private Document document;
    private JsonNode json;
    private String text;
    private StructuredData structured;
    private boolean documentTried;
    private boolean jsonTried;

    Body(byte[] bytes, int length, String contentType) {
        this.bytes = bytes == null ? new byte[0] : bytes;
        this.length = Math.clamp(length, 0, this.bytes.length);
        this.contentType = contentType;
        this.kind = kindOf(contentType, this.bytes, this.length);
    }

    Kind kind() {
        return kind;
    }

    /** The parsed page, or null for a JSON or binary body. */
    Document document() {
        if (!documentTried) {
            documentTried = true;
            if (kind == Kind.HTML) {
                try {
                    // jsoup honours a BOM first, then the header's charset, else it reads <meta charset> / http-equiv
                    Charset declared = declaredCharset(contentType);
                    document = Jsoup.parse(new ByteArrayInputStream(bytes, 0, length),
                            declared == null ? null : declared.name(), "");
                } catch (Exception | StackOverflowError e) {
                    document = null;
                }
            }
        }
        return document;
    }

    /** The JSON tree, or null for a body that is not JSON or does not parse. */
    JsonNode json() {
        if (!jsonTried) {
            jsonTried = true;
            if (kind == Kind.JSON) {
                try {
                    json = Json.parse(text());
                } catch (Exception | StackOverflowError e) {
                    json = null;
                }
            }
        }
        return json;
    }

    /** The body decoded as {@link #charsetOf} decides, without a leading byte-order mark. */
    String text() {
        if (text == null) {
            String decoded = new String(bytes, 0, length, charsetOf(contentType, bytes, length));
            text = decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded;
        }
        return text;
    }

    /** Type-word lookups on an HTML page; null for other bodies. */
    StructuredData structured() {
        if (structured == null && document() != null) {
            structured = new StructuredData(document());
        }
        return structured;
    }

    /**
     * The body's charset: a byte-order mark; else the Content-Type's {@code charset} when Java knows it; else, for an
     * HTML body, what jsoup finds in its first 5 KiB ({@code <meta charset>}, http-equiv, an XML declaration); else
     * UTF-8.
     */
    static Charset charsetOf(String contentType, byte[] bytes, int length) {
        int size = bytes == null ? 0 : Math.clamp(length, 0, bytes.length);
        Charset bom = bomCharset(bytes, size);
        if (bom != null) {
            return bom;
        }
        Charset declared = declaredCharset(contentType);
        if (declared != null) {
            return declared;
        }
        if (size > 0 && kindOf(contentType, bytes, size) == Kind.HTML) {
            try {
                return Jsoup.parse(new ByteArrayInputStream(bytes, 0, Math.min(size, CHARSET_WINDOW)), null, "")
                        .charset();
            } catch (Exception | StackOverflowError e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * JSON for a JSON media type ({@code application/json}, {@code text/json}, {@code *+json}); binary for media
     * jsoup has no business parsing (images, audio, video, fonts, archives, PDF); HTML for the rest, including a
     * missing type. A body whose first non-blank byte is <code>{</code> or {@code [} is JSON whatever it is declared
     * as, unless that is a binary type other than {@code application/octet-stream}: no HTML or text page starts so,
     * while many APIs send JSON as text/html or text/plain.
     */
    static Kind kindOf(String contentType, byte[] bytes, int length) {
        String mime = mediaType(contentType);
        if (mime.equals("application/json") || mime.equals("text/json") || mime.endsWith("+json")) {
            return Kind.JSON;
        }
        boolean binary = isBinary(mime);
        if (binary && !mime.equals("application/octet-stream")) {
            return Kind.BINARY;
        }
        if (startsLikeJson(bytes, length)) {
            return Kind.JSON;
        }
        return binary ? Kind.BINARY : Kind.HTML;
    }

    static Charset declaredCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals > 0 && parts[i].substring(0, equals).trim().equalsIgnoreCase("charset")) {
                String name = parts[i].substring(equals + 1).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1).trim();
                }
                try {
                    return Charset.isSupported(name) ? Charset.forName(name) : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isBinary(String mime) {
        return (mime.startsWith("image/") && !mime.startsWith("image/svg")) || mime.startsWith("audio/")
                || mime.startsWith("video/") || mime.startsWith("font/") || switch (mime) {
                    case "application/octet-stream", "application/pdf", "application/zip", "application/gzip",
                         "application/x-gzip", "application/x-tar", "application/x-7z-compressed",
                         "application/vnd.rar", "application/wasm", "application/x-protobuf", "application/msword" ->
                            true;
                    default -> false;
                };
    }

    /** Whether the first byte that is not blank, NUL (UTF-16) or a byte-order mark is <code>{</code> or {@code [}. */
    private static boolean startsLikeJson(byte[] bytes, int length) {
        for (int i = 0; i < Math.min(length, SNIFF_WINDOW); i++) {
            int b = bytes[i] & 0xFF;
            if (b == '{' || b == '[') {
                return true;
            }
            boolean skippable = b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0
                    || (i < 3 && (b == 0xEF || b == 0xBB || b == 0xBF || b == 0xFE || b == 0xFF));
            if (!skippable) {
                return false;
            }
        }
        return false;
    }

    private static Charset bomCharset(byte[] bytes, int length) {
        if (length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }
}
