package dev.cxpm.core.format.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A marketplace manifest read whole from its parsed tree, without throwing: every whole-file error and skipped entry
 * collected with its line, as validation reports them ({@link Marketplace#read}); {@link TopLevel} says the same
 * refusals for a manifest read as a stream.
 */
final class ManifestTree {
    private ManifestTree() {
    }

    static Marketplace read(Path marketplaceRoot, JsonFile json) {
        Path file = json.path();
        List<Finding> errors = new ArrayList<>();
        List<Finding> skipped = new ArrayList<>();
        List<MarketplaceEntry> entries = new ArrayList<>();
        JsonNode root = json.root();
        String name = "";
        if (!root.isObject()) {
            errors.add(new Finding("marketplace.not-object", file, 1,
                    "invalid type: " + typeName(root) + ", expected a JSON object", "the manifest must be a JSON object"));
            return new Marketplace(marketplaceRoot, json, name, List.of(), List.copyOf(errors), List.of());
        }
        JsonNode n = root.path("name");
        Finding bad = TopLevel.nameProblem(file, n);
        if (bad != null) {
            errors.add(bad.line() == 0 ? bad.at(json.lineOf("/name")) : bad);
        }
        if (n.isTextual()) {
            name = n.asText();
        }
        JsonNode list = root.path("plugins");
        Finding badList = TopLevel.pluginsProblem(file, list);
        if (badList != null) {
            errors.add(badList.line() == 0 ? badList.at(json.lineOf("/plugins")) : badList);
        } else {
            Set<String> seen = new HashSet<>();
            MarketplaceEntries.Findings findings = new MarketplaceEntries.Collected(json, errors, skipped);
            for (int i = 0; i < list.size(); i++) {
                MarketplaceEntries.read(file, list.get(i), i, findings, seen).ifPresent(entries::add);
            }
        }
        return new Marketplace(marketplaceRoot, json, name, List.copyOf(entries), List.copyOf(errors), List.copyOf(skipped));
    }

    static String typeName(JsonNode n) {
        if (n.isObject()) {
            return "map";
        }
        if (n.isArray()) {
            return "sequence";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "floating point";
        }
        if (n.isMissingNode()) {
            return "missing";
        }
        return "null";
    }
}
