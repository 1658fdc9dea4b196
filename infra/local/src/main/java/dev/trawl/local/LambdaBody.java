package dev.trawl.local;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * A request body as an HTTP API hands it to Lambda in payload format 2.0: as text only for the content types API
 * Gateway treats as text ({@code text/*}, {@code application/json}, {@code application/xml},
 * {@code application/javascript}); any other body, one without a content type included, base64-encoded with
 * {@code isBase64Encoded: true}. A "text" body that is not valid UTF-8 is base64-encoded too, so that its bytes
 * reach the function as sent rather than mangled into replacement characters.
 *
 * @param body null when the request has none
 */
record LambdaBody(String body, boolean base64Encoded) {
    private static final Set<String> TEXT_TYPES = Set.of("application/json", "application/xml", "application/javascript");

    static LambdaBody of(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return new LambdaBody(null, false);
        }
        if (isText(contentType)) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                return new LambdaBody(text, false);
            } catch (CharacterCodingException e) {
                // not UTF-8 after all: its bytes go as they are, in base64
            }
        }
        return new LambdaBody(Base64.getEncoder().encodeToString(bytes), true);
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
        return mediaType.startsWith("text/") || TEXT_TYPES.contains(mediaType);
    }
}
