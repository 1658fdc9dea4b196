package dev.trawl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The API reference for people under {@code /docs}: openapi.yaml rendered by the Swagger UI WebJar, every file
 * served from this machine, so the page works without a network.
 */
final class DocsSite {
    static final String PREFIX = "/docs";
    /** Beside this class on the classpath. */
    private static final String INDEX = "docs/index.html";
    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** One plain name in the WebJar's flat folder: no separators, no leading dot, so nothing outside it is reachable. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "application/javascript; charset=utf-8",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    record Document(String contentType, byte[] body) {
    }

    private final Path openapi;
    private final String webjarFolder;

    /** @param openapi the API description to render, read on each request so an edit shows on reload */
    DocsSite(Path openapi) {
        this.openapi = openapi;
        this.webjarFolder = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    }

    static boolean covers(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** The document at a decoded request path under {@link #PREFIX}; empty for anything not there. */
    Optional<Document> find(String path) {
        String name = path.equals(PREFIX) ? "" : path.substring(PREFIX.length() + 1);
        if (name.isEmpty() || name.equals("index.html")) {
            // Ours, not the WebJar's index.html, which points at the Petstore example on the internet.
            return resource(INDEX, "html");
        }
        if (name.equals("openapi.yaml")) {
            return openapi();
        }
        if (!FILE_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return resource(webjarFolder + name, extension(name));
    }

    private Optional<Document> openapi() {
        try {
            return Optional.of(new Document("application/yaml; charset=utf-8", Files.readAllBytes(openapi)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Document> resource(String classpathName, String extension) {
        String contentType = CONTENT_TYPES.get(extension);
        if (contentType == null) {
            return Optional.empty();
        }
        try (InputStream in = DocsSite.class.getResourceAsStream(classpathName)) {
            return in == null ? Optional.empty() : Optional.of(new Document(contentType, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** From the WebJar itself, so that a version bump in the pom is the only change it needs. */
    private static String webjarVersion() {
        try (InputStream in = DocsSite.class.getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Swagger UI WebJar is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
