package dev.cxpm.core.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to the user's environment inside a config value: {@code ${NAME}}, {@code $NAME}, or one with a
 * fallback, {@code ${NAME:-default}} (or {@code ${NAME-default}}), which works without the variable. Parsed in
 * this one place for validate, init and install, so they agree on what a plugin needs from the environment.
 */
public record EnvReference(String name, boolean hasFallback) {
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Every reference in value, in order; none for null. */
    public static List<EnvReference> in(String value) {
        List<EnvReference> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Matcher m = REF.matcher(value);
        while (m.find()) {
            if (m.group(1) != null) {
                String rest = m.group(2);
                out.add(new EnvReference(m.group(1), rest.startsWith("-") || rest.startsWith(":-")));
            } else {
                out.add(new EnvReference(m.group(3), false));
            }
        }
        return out;
    }

    /** True when value takes something from the environment (so it is not a literal). */
    public static boolean any(String value) {
        return value != null && REF.matcher(value).find();
    }

    /** The variables value cannot work without, in order, each once. */
    public static List<String> required(String value) {
        return in(value).stream().filter(r -> !r.hasFallback()).map(EnvReference::name).distinct().toList();
    }
}
