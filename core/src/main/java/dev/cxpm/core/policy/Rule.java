package dev.cxpm.core.policy;

/**
 * One rule of a policy file as the user wrote it: its key ({@code plugins.deny}), its value in their words
 * ({@code "evil-*"}), the parsed value, and where it was written, so that a refusal can name all three.
 */
public record Rule<T>(String key, String text, T value, Where where) {

    /** {@code plugins.deny "evil-*"}: how the rule is named in messages. */
    public String name() {
        return text.isEmpty() ? key : key + " " + text;
    }
}
