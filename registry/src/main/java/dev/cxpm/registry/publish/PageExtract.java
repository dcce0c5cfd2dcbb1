package dev.cxpm.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Takes from a checked archive what its page shows beyond the manifest: the README (its first
 * {@link #MAX_README_BYTES}) and the icon the manifest's {@code interface.logo} or {@code composerIcon} names (at most
 * {@link #MAX_ICON_BYTES}, and only when its bytes are a PNG, JPEG, GIF or WebP image: an SVG can carry script, and
 * what the page serves as an image must be one). One bounded pass over the archive ({@link PluginArchive#tar}).
 */
public final class PageExtract {

    public static final int MAX_README_BYTES = 512 * 1024;
    public static final int MAX_ICON_BYTES = 256 * 1024;
    private static final List<String> READMES = List.of("README.md", "readme.md", "Readme.md", "README.markdown", "README");

    /** A version's page data and its icon (null when it has none, or not one the page may show). */
    public record Page(PageData data, byte[] icon, String iconType) {
    }

    record Readme(String text, boolean shortened) {
    }

    private PageExtract() {
    }

    /** The page of a plugin whose archive passed the publish checks: {@code tgz} is that archive's bytes, streamed. */
    public static Page of(PublishedPlugin plugin, InputStream tgz) throws IOException {
        String iconPath = iconPath(plugin.manifest()).orElse(null);
        byte[][] readmes = new byte[READMES.size()][];
        long[] sizes = new long[READMES.size()];
        byte[] icon = null;
        try (TarArchiveInputStream tar = PluginArchive.tar(tgz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                String path = inPlugin(e.getName());
                int readme = READMES.indexOf(path);
                if (readme >= 0 && readmes[readme] == null) {
                    readmes[readme] = tar.readNBytes(MAX_README_BYTES);
                    sizes[readme] = e.getSize();
                } else if (path.equals(iconPath) && icon == null && e.getSize() <= MAX_ICON_BYTES) {
                    icon = tar.readNBytes(MAX_ICON_BYTES);
                }
            }
        }
        int r = firstPresent(readmes);
        String text = r < 0 ? null : new String(readmes[r], StandardCharsets.UTF_8);
        String type = icon == null ? null : imageType(icon).orElse(null);
        PageData data = PageData.of(plugin, new Readme(text, r >= 0 && sizes[r] > MAX_README_BYTES));
        return new Page(data, type == null ? null : icon, type);
    }

    private static int firstPresent(byte[][] found) {
        for (int i = 0; i < found.length; i++) {
            if (found[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /** The entry's path inside the plugin: the archive's top directory ({@code package/}) stripped, as installers do. */
    private static String inPlugin(String name) {
        String n = name.replaceFirst("^(\\./)+", "");
        int slash = n.indexOf('/');
        return slash < 0 ? n : n.substring(slash + 1);
    }

    /** {@code "./assets/logo.png"} as a path inside the plugin; nothing for a URL, an absolute path or one with {@code ..}. */
    static Optional<String> iconPath(JsonNode manifest) {
        JsonNode ui = manifest.path("interface");
        for (String field : List.of("logo", "composerIcon")) {
            String v = PublishedPlugin.text(ui, field);
            if (v == null) {
                continue;
            }
            String p = v.strip().replaceFirst("^\\./", "");
            if (!p.isEmpty() && !p.startsWith("/") && !p.contains("..") && !p.contains("\\") && !p.contains(":")) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The image type the bytes are, by their magic numbers (never by the file's name). */
    static Optional<String> imageType(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return Optional.of("image/png");
        }
        if (starts(b, 0xff, 0xd8, 0xff)) {
            return Optional.of("image/jpeg");
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return Optional.of("image/gif");
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
