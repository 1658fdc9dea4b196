package dev.trawl.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("TABLE_NAME", "trawl");
        env.put("BUCKET_NAME", "trawl-bucket");
        return env;
    }

    @Test
    void readsEveryVariable() {
        Map<String, String> env = minimal();
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
        env.put("ALLOW_TARGETS", "Example.test:8080, localhost");
        env.put("CHUNK_SIZE", "250");
        env.put("CURSOR_SIGNING_KEY", "0123456789abcdef0123456789abcdef");
        Config config = Config.fromEnv(env);
        assertEquals("eu-west-1", config.region());
        assertEquals(URI.create("http://127.0.0.1:9000"), config.s3Endpoint());
        assertEquals(Set.of("example.test:8080", "localhost"), config.allowTargets());
        assertEquals(250, config.chunkSize());
        assertNull(config.credentials());
        assertNull(config.planQueueUrl());
    }

    @Test
    void aMissingOrMalformedVariableIsNamed() {
        for (String name : new String[]{"AWS_REGION", "TABLE_NAME", "BUCKET_NAME"}) {
            Map<String, String> env = minimal();
            env.remove(name);
            ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnv(env));
            assertTrue(error.getMessage().startsWith(name), error.getMessage());
        }
        Map<String, String> env = minimal();
        env.put("CHUNK_SIZE", "lots");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage().contains("CHUNK_SIZE"));
        env.put("CHUNK_SIZE", "5000");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage().contains("CHUNK_SIZE"));
        env.remove("CHUNK_SIZE");
        env.put("AWS_ENDPOINT_URL_SQS", "not a url");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage().contains("AWS_ENDPOINT_URL_SQS"));
        env.remove("AWS_ENDPOINT_URL_SQS");
        env.put("CURSOR_SIGNING_KEY", "short");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage().contains("CURSOR_SIGNING_KEY"));
        env.remove("CURSOR_SIGNING_KEY");
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage().contains("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void aQueueAFunctionNeedsIsNamedWhenMissing() {
        Config config = Config.fromEnv(minimal());
        ConfigException error = assertThrows(ConfigException.class, () -> Config.require(config.chunkQueueUrl(), "CHUNK_QUEUE_URL"));
        assertTrue(error.getMessage().contains("CHUNK_QUEUE_URL"));
    }

    @Test
    void secretsStayOutOfToString() {
        Map<String, String> env = minimal();
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "very-secret-value");
        env.put("CURSOR_SIGNING_KEY", "0123456789abcdef0123456789abcdef");
        Config config = Config.fromEnv(env);
        assertTrue(!config.toString().contains("very-secret-value") && !config.credentials().toString().contains("very-secret-value"));
        assertTrue(!config.toString().contains("0123456789abcdef"));
    }
}
