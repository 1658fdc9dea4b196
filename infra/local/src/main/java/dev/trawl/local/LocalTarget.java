package dev.trawl.local;

import dev.trawl.core.util.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a running {@code trawl serve} keeps its table, for {@code trawl keys} to find: written to a small file
 * (by default {@code ~/.trawl/local.json}, readable by its owner only) once the stack is up, and removed when it
 * stops. It holds the emulators' own credentials, which open nothing but this machine's local stack.
 *
 * @param dynamoDbEndpoint the local DynamoDB's endpoint
 * @param table            the template's table, as the stack named it
 * @param pid              the serving process, so that a stopping stack removes only its own file
 */
public record LocalTarget(URI dynamoDbEndpoint, String region, String table, String accessKeyId, String secretAccessKey,
                          URI apiUrl, long pid) {

    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".trawl", "local.json");
    }

    /** The running runtime's table, as its own calls reach it. */
    public static LocalTarget of(LocalRuntime runtime) {
        Backend.Credentials credentials = runtime.backend().credentials();
        return new LocalTarget(runtime.backend().dynamoDbEndpoint(), EmbeddedStack.REGION, runtime.keyTable(),
                credentials.accessKeyId(), credentials.secretAccessKey(), runtime.apiUrl(), ProcessHandle.current().pid());
    }

    /** Writes the file whole (a reader never sees half of it), readable by its owner only where the file system allows. */
    public void write(Path file) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, ".local", ".json");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(partial, Json.write(this));
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /**
     * The stack the file names.
     *
     * @throws IllegalStateException saying to start {@code trawl serve} (or to name a deployed table) when there is no file
     */
    public static LocalTarget read(Path file) {
        try {
            return Json.read(Files.readString(file), LocalTarget.class);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no local stack is running (" + file + " is missing): start 'trawl serve', "
                    + "or name a deployed stack's table with --table");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not read " + file + ": " + e.getMessage());
        }
    }

    /** Removes the file if it is still this process's (another {@code trawl serve} may have replaced it since). */
    public static void removeIfOwn(Path file) {
        try {
            if (Files.exists(file) && read(file).pid() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // stopping matters more than this file; the next serve overwrites it
        }
    }
}
