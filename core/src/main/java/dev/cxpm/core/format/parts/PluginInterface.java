package dev.cxpm.core.format.parts;

import java.util.List;
import java.util.Optional;

/**
 * A plugin's {@code interface} metadata, what Codex shows in its plugin browser. Fields of the wrong type
 * are absent here (the validator reports them); {@code defaultPrompts} are cleaned the way Codex does:
 * whitespace collapsed, empty or over-long entries dropped, at most three.
 */
public record PluginInterface(Optional<String> displayName, Optional<String> shortDescription,
        Optional<String> longDescription, Optional<String> developerName, Optional<String> category,
        List<String> capabilities, Optional<String> brandColor, List<String> defaultPrompts) {

    public static PluginInterface empty() {
        return new PluginInterface(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), List.of());
    }
}
