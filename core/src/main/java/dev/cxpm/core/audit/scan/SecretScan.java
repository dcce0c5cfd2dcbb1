package dev.cxpm.core.audit.scan;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.audit.AuditedPlugin;
import dev.cxpm.core.audit.Finding;
import dev.cxpm.core.audit.Findings;
import dev.cxpm.core.audit.Severity;
import dev.cxpm.core.format.parts.EnvReference;
import dev.cxpm.core.init.Secrets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials written into a plugin's files: well-known token formats (AWS access keys, GitHub and Slack tokens),
 * private key blocks, and a generic {@code api_key = "..."} whose value looks random by the rule {@code init}
 * uses for literal secrets ({@link Secrets#looksRandom}). A plugin is shared; a token in it is leaked. The
 * secret itself is never shown, only its first characters and its length. Each pattern has no nested
 * repetition and a bounded length, so a line is scanned in time linear in its length.
 */
final class SecretScan {

    /** cues: a line without any of these literal strings cannot match, so the pattern is not run on it (most lines). */
    private record Kind(String code, String what, Pattern pattern, int group, List<String> cues) {
        boolean cued(String line, String lower) {
            for (String c : cues) {
                if (line.contains(c) || lower.contains(c)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("secret-aws-key", "an AWS access key", Pattern.compile("(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])"), 1,
                    List.of("AKIA", "ASIA")),
            new Kind("secret-github-token", "a GitHub token",
                    Pattern.compile("(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"), 1,
                    List.of("gh", "github_pat_")),
            new Kind("secret-slack-token", "a Slack token",
                    Pattern.compile("(?<![A-Za-z0-9])(xox[abposr]-[A-Za-z0-9-]{10,250}|https://hooks\\.slack\\.com/services/[A-Za-z0-9/]{20,200})"), 1,
                    List.of("xox", "hooks.slack.com")),
            new Kind("secret-private-key", "a private key",
                    Pattern.compile("-----BEGIN ((?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----"), 0, List.of("PRIVATE KEY")),
            new Kind("secret-generic", "a literal secret",
                    Pattern.compile("(?i)(?<![a-z0-9])(?:api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token"
                            + "|client[_-]?secret|password|passwd|token)[\"']?\\s{0,20}[:=]\\s{0,20}[\"']([^\"'\\s]{16,256})[\"']"), 1,
                    List.of("key", "token", "secret", "passw")));

    static final int MAX_PER_FILE = 20;

    private SecretScan() {
    }

    /** Adds a finding per line and kind of secret in text (the file at rel), at most {@link #MAX_PER_FILE}. */
    static void scan(AuditedPlugin plugin, String rel, String text, Findings out) {
        int found = 0;
        int lineNo = 0;
        int start = 0;
        while (start <= text.length() && found < MAX_PER_FILE) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNo++;
            String line = text.substring(start, end);
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            boolean named = false; // a token of a known format is reported as that, not again as a generic secret
            for (Kind k : KINDS) {
                if (named && k.code.equals("secret-generic")) {
                    break;
                }
                if (!k.cued(line, lower)) {
                    continue;
                }
                Matcher m = k.pattern.matcher(line);
                while (m.find()) {
                    String value = m.group(k.group);
                    if (isSecret(k, value)) {
                        out.add(Finding.at(Severity.ERROR, k.code, plugin, rel, lineNo,
                                "holds " + k.what + " (" + masked(k, value) + ")",
                                "revoke it now (anyone with the plugin has it), then ask the plugin's author to read it from an environment variable"));
                        found++;
                        named = true;
                        break;
                    }
                }
            }
            start = end + 1;
        }
    }

    private static boolean isSecret(Kind k, String value) {
        if (k.code.equals("secret-private-key")) {
            return true;
        }
        if (EnvReference.any(value) || value.chars().distinct().count() < 6) {
            return false; // ${TOKEN}, or a placeholder such as ghp_xxxxxxxx...
        }
        return !k.code.equals("secret-generic") || Secrets.looksRandom(value);
    }

    /** Enough to find it again (its first characters and length), never enough to use it. */
    static String masked(String value) {
        int shown = value.length() >= 16 ? 4 : 2;
        return value.substring(0, shown) + "..." + " (" + value.length() + " characters)";
    }

    private static String masked(Kind k, String value) {
        return k.code.equals("secret-private-key") ? PlainText.printable(value, 80) : masked(value);
    }
}
