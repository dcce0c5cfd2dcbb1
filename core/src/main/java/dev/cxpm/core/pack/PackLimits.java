package dev.cxpm.core.pack;

import dev.cxpm.core.UserError;
import java.util.List;

/**
 * How big a package may be, for both sides: pack refuses to make what unpack would refuse to read.
 * The defaults are generous for plugins (skills, manifests, small MCP server bundles) and small enough
 * that an untrusted archive cannot fill a disk: 64 MiB per file, 256 MiB in all, 20,000 files.
 */
public record PackLimits(long maxFileBytes, long maxTotalBytes, int maxEntries) {

    /** The longest path an archive entry may have, in characters: the registry refuses longer ones, and so does unpack. */
    public static final int MAX_PATH = 1024;

    public static final PackLimits DEFAULT = new PackLimits(64L << 20, 256L << 20, 20_000);

    public PackLimits {
        if (maxFileBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * The most bytes an archive within these limits can take, compressed or not: the files plus tar's
     * headers and padding (at most 1.5 KiB an entry, more with long names) plus slack. A download is cut
     * off there, and an archive that inflates past it is a bomb.
     */
    public long maxArchiveBytes() {
        return maxTotalBytes + (long) maxEntries * 4096 + (1 << 20);
    }

    /** Refuses (UserError) a listing over these limits, naming the files too large, so that pack makes only what unpack accepts. */
    void check(List<Packer.Entry> entries) {
        List<String> tooBig = entries.stream().filter(e -> e.size() > maxFileBytes)
                .map(e -> e.path() + " (" + Sizes.human(e.size()) + ")").toList();
        if (!tooBig.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    "file" + (tooBig.size() > 1 ? "s" : "") + " over the " + Sizes.human(maxFileBytes)
                            + " limit for one packed file: " + String.join(", ", tooBig),
                    "add " + (tooBig.size() > 1 ? "them" : "it") + " to " + Packer.IGNORE_FILE + ", or make "
                            + (tooBig.size() > 1 ? "them" : "it") + " smaller");
        }
        if (entries.size() > maxEntries) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the plugin has " + entries.size()
                    + " files, over the limit of " + maxEntries, "exclude files with " + Packer.IGNORE_FILE);
        }
        long total = entries.stream().mapToLong(Packer.Entry::size).sum();
        if (total > maxTotalBytes) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the plugin's files total " + Sizes.human(total)
                    + ", over the limit of " + Sizes.human(maxTotalBytes), "exclude files with " + Packer.IGNORE_FILE);
        }
    }
}
