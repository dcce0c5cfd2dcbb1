package dev.cxpm.core.init;

import dev.cxpm.core.format.parts.EnvReference;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells a literal secret in an MCP server's {@code env} from an ordinary setting, so adoption never
 * copies a token into a plugin that will be shared. Errs on the side of calling a value secret: a
 * false positive costs the author one prerequisite line, a false negative leaks a credential.
 * {@code audit} shares {@link #looksRandom} for the generic {@code api_key = "..."} it finds in installed files.
 */
public final class Secrets {
    /** Prefixes of well-known token formats (GitHub, OpenAI/Stripe-style, Slack, AWS, GitLab, npm, Google). */
    private static final Pattern TOKEN_PREFIX = Pattern.compile(
            "^(gh[pousr]_|github_pat_|sk-|sk_live_|sk_test_|rk_live_|xox[abprs]-|xapp-|AKIA[0-9A-Z]{12}|ASIA[0-9A-Z]{12}"
                    + "|glpat-|npm_|AIza|ya29\\.|pypi-|hf_|Bearer\\s)");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|AUTH|(^|_)KEY($|_)|(^|_)PAT($|_))");

    private Secrets() {
    }

    /** True when {@code value}, the value of environment variable {@code name}, is a literal secret. */
    static boolean isLiteralSecret(String name, String value) {
        if (value == null || value.isBlank() || EnvReference.any(value)) {
            return false; // empty, or it references the user's environment: nothing literal to leak
        }
        String v = value.strip();
        if (TOKEN_PREFIX.matcher(v).find()) {
            return true;
        }
        if (SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).find() && !looksLikeSetting(v)) {
            return true;
        }
        return looksRandom(v);
    }

    /** Values that are obviously not credentials even under a secret-sounding name ("AUTH_MODE": "oauth"). */
    private static boolean looksLikeSetting(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        return v.length() < 8 && !lower.matches(".*\\d.*")
                || lower.equals("true") || lower.equals("false")
                || lower.contains("://") || v.startsWith("/") || v.startsWith("./") || v.startsWith("~");
    }

    /** A long run without spaces, mixing letters and digits, with high character entropy. */
    public static boolean looksRandom(String v) {
        if (v.length() < 20 || v.contains(" ") || v.contains("://") || v.startsWith("/") || v.startsWith("./")) {
            return false;
        }
        boolean letters = v.chars().anyMatch(Character::isLetter);
        boolean digits = v.chars().anyMatch(Character::isDigit);
        return letters && digits && entropyBitsPerChar(v) >= 3.5;
    }

    private static double entropyBitsPerChar(String v) {
        Map<Integer, Integer> counts = new HashMap<>();
        v.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double bits = 0;
        for (int n : counts.values()) {
            double p = (double) n / v.length();
            bits -= p * (Math.log(p) / Math.log(2));
        }
        return bits;
    }

    /**
     * The credential inside an HTTP header value ({@code Authorization: Bearer abc...}, {@code X-Api-Key: ...}),
     * or empty when the value is a reference or not a credential.
     */
    static Optional<String> headerSecret(String header, String value) {
        if (value == null || EnvReference.any(value)) {
            return Optional.empty();
        }
        String v = value.strip();
        String credential = v.replaceFirst("(?i)^(bearer|basic|token)\\s+", "");
        boolean authHeader = header.equalsIgnoreCase("authorization") || header.equalsIgnoreCase("proxy-authorization")
                || SECRET_NAME.matcher(header.toUpperCase(Locale.ROOT).replace('-', '_')).find();
        if (credential.length() >= 8 && (authHeader || TOKEN_PREFIX.matcher(credential).find() || looksRandom(credential))) {
            return Optional.of(credential);
        }
        return Optional.empty();
    }

    /** The first token-like literal inside free text (an argument such as {@code --token=ghp_...}), if any. */
    static Optional<String> tokenIn(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (String part : text.split("[\\s=:,]+")) {
            if (TOKEN_PREFIX.matcher(part).find() && part.length() >= 12) {
                return Optional.of(part);
            }
        }
        return Optional.empty();
    }
}
