package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.local.iam.Arns;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for KMS's symmetric keys on 127.0.0.1, which none of the emulators provides: the two calls of envelope
 * encryption (GenerateDataKey, Decrypt) in KMS's JSON protocol, with keys held in memory. A data key is wrapped in
 * AES-GCM under its key, bound to the encryption context as KMS binds it: Decrypt with another context, another key
 * or a changed blob answers InvalidCiphertextException. Who may call what is judged before the call leaves the SDK
 * (see {@code SdkAccessCheck}), as IAM judges it before KMS does.
 */
final class LocalKms implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IV_BYTES = 12;
    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    private record Answer(int status, ObjectNode body) {
    }

    LocalKms() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::serve);
        server.start();
    }

    /** A new symmetric key, as CloudFormation makes one for an {@code AWS::KMS::Key}; answers its id. */
    String createKey() {
        String id = UUID.randomUUID().toString();
        byte[] material = new byte[32];
        random.nextBytes(material);
        keys.put(id, material);
        return id;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Answer answer;
            try {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                answer = switch (target == null ? "" : target) {
                    case "TrentService.GenerateDataKey" -> generateDataKey(request);
                    case "TrentService.Decrypt" -> decrypt(request);
                    default -> error("UnsupportedOperationException", "The local KMS answers GenerateDataKey and Decrypt only, not " + target);
                };
            } catch (IOException | RuntimeException e) {
                answer = error("ValidationException", "Could not read the request: " + e.getMessage());
            }
            byte[] bytes = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Answer generateDataKey(JsonNode request) {
        String id = keyId(request.path("KeyId").asText(""));
        if (id == null) {
            return error("NotFoundException", "Key '" + request.path("KeyId").asText("") + "' does not exist");
        }
        int bytes = switch (request.path("KeySpec").asText(request.has("NumberOfBytes") ? "" : "AES_256")) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> request.path("NumberOfBytes").asInt(0);
        };
        if (bytes < 1 || bytes > 1024) {
            return error("ValidationException", "Give KeySpec AES_256 or AES_128, or NumberOfBytes from 1 to 1024");
        }
        byte[] dataKey = new byte[bytes];
        random.nextBytes(dataKey);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped;
        try {
            wrapped = cipher(Cipher.ENCRYPT_MODE, id, iv, context(request)).doFinal(dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] blob = ByteBuffer.allocate(1 + idBytes.length + iv.length + wrapped.length)
                .put((byte) idBytes.length).put(idBytes).put(iv).put(wrapped).array();
        ObjectNode body = JSON.createObjectNode();
        body.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
        body.put("Plaintext", Base64.getEncoder().encodeToString(dataKey));
        body.put("KeyId", Arns.key(id));
        return new Answer(200, body);
    }

    private Answer decrypt(JsonNode request) {
        byte[] blob = Base64.getDecoder().decode(request.path("CiphertextBlob").asText(""));
        int idLength = blob.length == 0 ? 0 : blob[0];
        if (idLength < 1 || blob.length <= 1 + idLength + IV_BYTES) {
            return error("InvalidCiphertextException", "The ciphertext is not one this KMS made");
        }
        String id = new String(blob, 1, idLength, StandardCharsets.US_ASCII);
        String asked = request.path("KeyId").asText(null);
        if (!keys.containsKey(id) || asked != null && !id.equals(keyId(asked))) {
            return error("IncorrectKeyException", "The ciphertext was not encrypted under the key given");
        }
        byte[] iv = Arrays.copyOfRange(blob, 1 + idLength, 1 + idLength + IV_BYTES);
        try {
            byte[] dataKey = cipher(Cipher.DECRYPT_MODE, id, iv, context(request))
                    .doFinal(blob, 1 + idLength + IV_BYTES, blob.length - 1 - idLength - IV_BYTES);
            ObjectNode body = JSON.createObjectNode();
            body.put("Plaintext", Base64.getEncoder().encodeToString(dataKey));
            body.put("KeyId", Arns.key(id));
            body.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            return new Answer(200, body);
        } catch (GeneralSecurityException e) {
            return error("InvalidCiphertextException", null);
        }
    }

    /** A key id as KMS takes it (an id or a key ARN), or null when no such key exists here. */
    private String keyId(String given) {
        String id = given.startsWith("arn:") ? given.substring(given.lastIndexOf('/') + 1) : given;
        return keys.containsKey(id) ? id : null;
    }

    /** The encryption context in one canonical form, as associated data: KMS binds it the same way. */
    private static byte[] context(JsonNode request) {
        Map<String, String> context = new TreeMap<>();
        request.path("EncryptionContext").properties().forEach(e -> context.put(e.getKey(), e.getValue().asText()));
        try {
            return JSON.writeValueAsBytes(context);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Cipher cipher(int mode, String keyId, byte[] iv, byte[] context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(keys.get(keyId), "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(context);
        return cipher;
    }

    private static Answer error(String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("__type", type);
        if (message != null) {
            body.put("message", message);
        }
        return new Answer(400, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
