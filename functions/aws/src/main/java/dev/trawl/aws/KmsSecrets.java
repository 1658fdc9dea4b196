package dev.trawl.aws;

import dev.trawl.core.port.Secrets;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption under a KMS key: each secret gets a data key of its own (GenerateDataKey), is sealed with it in
 * AES-GCM on this side, and is stored with the data key as KMS encrypted it; opening asks KMS to decrypt that data key
 * (Decrypt). The context (a job id) is both KMS's encryption context and GCM's associated data, so a sealed secret
 * copied onto another job opens nowhere, and CloudTrail names the job of every Decrypt.
 *
 * <p>Sealed form: {@code v1.<encrypted data key>.<iv><ciphertext and tag>}, base64url. A value starting
 * {@code whsec_} is a secret stored before sealing existed and is returned as it is.
 */
public final class KmsSecrets implements Secrets {
    private static final String VERSION = "v1.";
    private static final String LEGACY = "whsec_";
    private static final String CONTEXT_KEY = "trawl:job";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Supplier<KmsClient> kms;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    /** @param kms built on first use: functions that never seal or open make no KMS client */
    public KmsSecrets(Supplier<KmsClient> kms, String keyId) {
        this.kms = kms;
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public String seal(String plaintext, String context) {
        GenerateDataKeyResponse dataKey = kms.get().generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)
                .encryptionContext(Map.of(CONTEXT_KEY, context)));
        byte[] key = dataKey.plaintext().asByteArray();
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, iv, context).doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION + ENCODER.encodeToString(dataKey.ciphertextBlob().asByteArray()) + "."
                    + ENCODER.encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public String open(String sealed, String context) {
        if (sealed.startsWith(LEGACY)) {
            return sealed;
        }
        String[] parts = sealed.startsWith(VERSION) ? sealed.substring(VERSION.length()).split("\\.", -1) : new String[0];
        if (parts.length != 2) {
            throw new IllegalStateException("not a sealed secret of a known version");
        }
        byte[] encryptedKey;
        byte[] box;
        try {
            encryptedKey = DECODER.decode(parts[0]);
            box = DECODER.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a sealed secret that is not base64url", e);
        }
        if (box.length <= IV_BYTES) {
            throw new IllegalStateException("a sealed secret too short to hold one");
        }
        DecryptResponse dataKey = kms.get().decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(encryptedKey))
                .encryptionContext(Map.of(CONTEXT_KEY, context)));
        byte[] key = dataKey.plaintext().asByteArray();
        try {
            byte[] plaintext = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(box, IV_BYTES), context)
                    .doFinal(box, IV_BYTES, box.length - IV_BYTES);
            return new String(plaintext, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the sealed secret does not open for this context", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
