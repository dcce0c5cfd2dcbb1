package dev.cxpm.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** One plugin a marketplace offers, as Codex reads it; {@code raw} keeps the entry's full JSON. */
public record MarketplaceEntry(String name, PluginSource source, InstallPolicy installPolicy, AuthPolicy authPolicy,
        Optional<String> category, Optional<String> description, Optional<String> version, JsonNode raw) {
}
