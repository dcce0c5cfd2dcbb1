package dev.cxpm.core.format.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cxpm.core.format.CodexNames;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.StreamedJson;
import java.nio.file.Path;

/**
 * What a stream walk of a marketplace manifest reads of its top level, as {@link Marketplace#read} reads it whole:
 * {@code name}, {@code interface}, and {@code plugins} (its entries handed one at a time to {@link #entry}, or the value
 * itself when it is not an array). {@link MarketplaceEntries#check} and {@link MarketplaceRefusal} add their own part.
 */
abstract class TopLevel implements StreamedJson.Members {
    /** The last {@code name} written, or null. */
    JsonNode name;
    /** The last {@code interface} written, or null. */
    JsonNode iface;
    /** The last {@code plugins} written that is not an array (null included), or null. */
    JsonNode plugins;
    /** Whether a {@code plugins} array was met. */
    boolean array;

    /** Entry i of an array {@code plugins}. */
    abstract void entry(int i, JsonNode e);

    /** {@link #entry}, told the line and byte offset the entry starts at. */
    void entry(int i, JsonNode e, int line, long offset) {
        entry(i, e);
    }

    @Override
    public final boolean wants(String key) {
        return key.equals("name") || key.equals("interface") || key.equals("plugins");
    }

    @Override
    public final boolean elements(String key) {
        array |= key.equals("plugins"); // asked when it is an array
        return key.equals("plugins");
    }

    @Override
    public final void member(String key, JsonNode value) {
        switch (key) {
            case "name" -> name = value;
            case "interface" -> iface = value;
            default -> plugins = value;
        }
    }

    @Override
    public final void element(String key, int i, JsonNode e) {
        entry(i, e);
    }

    @Override
    public final void element(String key, int i, JsonNode e, int line, long offset) {
        entry(i, e, line, offset);
    }

    /** What load reads as {@code plugins} of what the walk met: missing, an array (its entries went to entry) or the value. */
    final JsonNode pluginsAsRead() {
        return plugins != null ? plugins : array ? EMPTY : MissingNode.getInstance();
    }

    private static final JsonNode EMPTY = JsonNodeFactory.instance.arrayNode();

    /**
     * Why Codex rejects the whole file for its {@code plugins} list, or null when it is an array (its entries say the
     * rest): at line 1 when missing, else at line 0, for the caller to place at {@code /plugins}.
     */
    static Finding pluginsProblem(Path file, JsonNode list) {
        if (list.isMissingNode() || list.isNull()) {
            return new Finding("marketplace.plugins-missing", file, 1, "missing field `plugins`", "add \"plugins\": [ ... ]");
        }
        if (!list.isArray()) {
            return new Finding("marketplace.plugins-type", file, 0,
                    "invalid type: " + ManifestTree.typeName(list) + ", expected a sequence for `plugins`", null);
        }
        return null;
    }

    /**
     * Why Codex rejects the whole file for its {@code name} n (null or missing when absent), or null when it takes it: at
     * line 1 for a missing name, else at line 0, for the caller to place at {@code /name} (spans are made only then).
     */
    static Finding nameProblem(Path file, JsonNode n) {
        int line = 0;
        if (n == null || n.isMissingNode() || n.isNull()) {
            return new Finding("marketplace.name-missing", file, 1, "missing field `name`",
                    "add a \"name\" made of ASCII letters, digits, `_` and `-`");
        }
        if (!n.isTextual()) {
            return new Finding("marketplace.name-type", file, line, "invalid type: " + ManifestTree.typeName(n)
                    + ", expected a string for `name`", null);
        }
        String name = n.asText();
        if (!CodexNames.isMarketplaceName(name)) {
            return new Finding("marketplace.name-invalid", file, line,
                    "invalid marketplace name: only ASCII letters, digits, `_`, and `-` are allowed",
                    "rename it, e.g. \"" + CodexNames.asMarketplaceName(name) + "\"");
        }
        if (Marketplace.RESERVED_NAMES.contains(name)) {
            return new Finding("marketplace.name-reserved", file, line,
                    "marketplace `" + name + "` is reserved and cannot be added from this source", "choose another name");
        }
        return null;
    }
}
