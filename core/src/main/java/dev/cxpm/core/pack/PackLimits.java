package dev.cxpm.core.pack;

/**
 * How big a package may be, for both sides: pack refuses to make what unpack would refuse to read.
 * The defaults are generous for plugins (skills, manifests, small MCP server bundles) and small enough
 * that an untrusted archive cannot fill a disk: 64 MiB per file, 256 MiB in all, 20,000 files.
 */
public record PackLimits(long maxFileBytes, long maxTotalBytes, int maxEntries) {

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
}
