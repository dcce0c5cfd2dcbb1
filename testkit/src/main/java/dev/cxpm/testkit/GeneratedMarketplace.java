package dev.cxpm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A marketplace of many entries written straight to its marketplace.json, for tests at the sizes issue 12 names
 * (100,000 entries: 7.9 MB): entry i is {@code tool-%06d}, sourced from {@code ./plugins/NAME}, described {@code Ti},
 * one entry a line (line i + 1), so a test can name an entry's line or cut the file at a known place. No plugin
 * directory is written: the commands that read the marketplace find an entry without opening its source.
 */
public final class GeneratedMarketplace {
    private GeneratedMarketplace() {
    }

    /** Writes {@code root/.agents/plugins/marketplace.json} of the marketplace {@code name}; returns {@code root}. */
    public static Path write(Path root, String name, int entries) {
        StringBuilder json = new StringBuilder(80 * entries + 64).append("{\"name\":\"").append(name).append("\",\"plugins\":[\n");
        for (int i = 1; i <= entries; i++) {
            String entry = String.format("tool-%06d", i);
            json.append(i > 1 ? ",\n" : "").append("{\"name\":\"").append(entry).append("\",\"source\":\"./plugins/").append(entry)
                    .append("\",\"description\":\"T").append(i).append("\"}");
        }
        try {
            Files.createDirectories(root.resolve(".agents/plugins"));
            Files.writeString(root.resolve(".agents/plugins/marketplace.json"), json.append("\n]}\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
