package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.pack.PackLimits;
import java.io.IOException;

/**
 * The size of a published archive as a registry states it, checked once where its answer is read: a whole number of
 * bytes from 0 to what cxpm downloads of an archive ({@link PackLimits#maxArchiveBytes()}). Jackson's {@code asLong()}
 * read {@code 2^80} as 0, {@code -5} as -5 and {@code "x"} as 0, which then stood in the index as if the registry said so.
 */
public record ArchiveSize(long bytes) {
    public static final long MAX = PackLimits.DEFAULT.maxArchiveBytes();

    public ArchiveSize {
        if (bytes < 0 || bytes > MAX) {
            throw new IllegalArgumentException("an archive size is 0 to " + MAX + " bytes, not " + bytes);
        }
    }

    /**
     * n as a size, none when the answer leaves it out (a test's stand-in registry, an older one); IOException naming
     * what it is ({@code what}) and what it holds when it is there and not a size.
     */
    static java.util.Optional<ArchiveSize> of(JsonNode n, String what) throws IOException {
        if (n.isMissingNode()) {
            return java.util.Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > MAX) {
            throw new IOException(what + " is `" + shown(n) + "`, not a size of an archive (a whole number of bytes from 0 to " + MAX + ")");
        }
        return java.util.Optional.of(new ArchiveSize(n.asLong()));
    }

    /** A sequence number of a signed index document: a whole number from 0, or none (a registry older than signing). */
    static long sequence(JsonNode n) throws IOException {
        if (n.isMissingNode() || n.isNull()) {
            return RegistryIndex.NO_SEQUENCE;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new IOException("its sequence is `" + shown(n) + "`, not a whole number from 0 to " + Long.MAX_VALUE);
        }
        return n.asLong();
    }

    private static String shown(JsonNode n) {
        String text = n.toString();
        return dev.cxpm.core.PlainText.printable(text.length() > 64 ? text.substring(0, 64) + "..." : text, 80);
    }
}
