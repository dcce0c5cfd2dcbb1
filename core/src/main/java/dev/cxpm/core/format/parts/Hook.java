package dev.cxpm.core.format.parts;

import java.util.List;

/**
 * A Claude Code hook a plugin ships ({@code hooks/hooks.json} or the manifest's {@code hooks}): on an event
 * ({@code PreToolUse}, {@code Stop}, …), for what matches {@code matcher} (empty: everything), it runs
 * {@code commands}. Entries with the same event and matcher are one hook, whichever file they came from.
 */
public record Hook(String event, String matcher, List<String> commands) {
    /** How a user names it: the event, with its matcher in brackets when it has one. */
    public String key() {
        return matcher.isEmpty() ? event : event + " [" + matcher + "]";
    }
}
