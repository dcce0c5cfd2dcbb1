package dev.cxpm.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.parts.EnvReference;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small text checks shared by the validators: hidden Unicode, literal secrets, JSON type names. */
final class Text {
    private Text() {
    }

    /** The first hidden or bidirectional control character in text, with its 1-based line. */
    record Hidden(int line, int codePoint) {
        String describe() {
            return String.format("U+%04X", codePoint);
        }
    }

    static Optional<Hidden> firstHiddenChar(String text) {
        int line = 1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '\n') {
                line++;
            } else if (isHidden(cp) && !(cp == 0xFEFF && i == 0)) {
                return Optional.of(new Hidden(line, cp));
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    /** Bidi controls (Trojan Source), zero-width characters and Unicode tag characters (invisible prompt text). */
    static boolean isHidden(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x200E || cp == 0x200F || cp == 0x061C
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E
                || (cp >= 0xE0000 && cp <= 0xE007F);
    }

    private static final Pattern KNOWN_TOKEN = Pattern.compile(
            "(ghp_|gho_|ghu_|ghs_|ghr_)[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{20,}"
                    + "|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}"
                    + "|npm_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----|(sk|rk)_live_[A-Za-z0-9]{16,}");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH).*");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i).*(your|xxx|<|>|changeme|placeholder|example|dummy|replace|here|todo|\\*\\*\\*).*");

    /** Why value looks like a secret written literally, or empty. Variable references are never secrets. */
    static Optional<String> literalSecret(String name, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Matcher known = KNOWN_TOKEN.matcher(value);
        if (known.find()) {
            return Optional.of("looks like a literal token or key");
        }
        if (EnvReference.any(value) || PLACEHOLDER.matcher(value).matches()) {
            return Optional.empty();
        }
        if (name != null && SECRET_NAME.matcher(name).matches() && value.length() >= 8 && !value.contains(" ")
                && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            return Optional.of("`" + name + "` holds a literal value that looks like a secret");
        }
        return Optional.empty();
    }

    static String typeName(JsonNode n) {
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isNumber()) {
            return "number";
        }
        return "null";
    }

    static boolean present(JsonNode n) {
        return !n.isMissingNode();
    }

    static boolean isStringArray(JsonNode n) {
        if (!n.isArray()) {
            return false;
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
