package dev.cxpm.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutation fuzzing of real inputs, bounded for CI: a fixed seed, a fixed number of cases, each case run on a thread of
 * its own under a generous watchdog that fails the run naming the input that hung (never an assertion on speed).
 * The mutations are what a hostile or broken file holds: flipped bytes, truncation, deleted and duplicated spans
 * (duplicated keys, lines, archive entries), hostile tokens ({@code ..}, absolute and Windows paths, look-alike dots
 * and slashes, NUL and terminal escapes, bidirectional overrides, huge and negative numbers, bytes that are not
 * UTF-8), a quoted value replaced by one of those, very long strings and deep nesting. Every failing input is written
 * under the run's directory, so a failure can be replayed from the file its message names.
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** One input: which real input it came from, its number, what was done to it, and its bytes. */
    public record Case(String seed, int index, String mutation, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return seed + " #" + index + " (" + mutation + ")";
        }
    }

    /** What a test does with one input: returns when the outcome is acceptable, throws when it is not. */
    public interface Check {
        void accept(Case c) throws Exception;
    }

    /** Values a name, path or number from outside may hold. */
    public static final List<String> TOKENS = List.of("..", ".", "../../../../../../etc/passwd", "/etc/passwd", "/", "a/../../b",
            "C:\\Windows\\System32", "\\\\server\\share\\x", "..\\..\\x", "\u0000", "a\u0000b", "\u001b]0;owned\u0007\u001b[2J", "\r",
            "\r\n", "\n", "\t", "\u202e", "\u200b", "\ufeff", "\uff0e\uff0e", "\uff0e\uff0e\uff0f", "\u2024\u2024", "\u2215",
            "\u0430dmin", "\ud83d\ude00", "%2e%2e%2f", "~", "~root/.ssh", "${HOME}", "$(touch pwned)", "`id`", "CON", "NUL",
            "aux.txt", ".git", ".git/config", "-1", "0", "-0", "1e400", "NaN", "Infinity", "2147483648", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999999999999999999999", "0x7fffffff", "1.0.0-", "^999999999999.0.0",
            "\"", "'", "\\", "\\u0000", "\\ud800", "{", "}", "[", "]", "=", ":", ",", "#", "[[", "]]", "\"\"\"", "'''", "null",
            "true", "[]", "{}", "\"a\": 1, \"a\": 2");

    /** Byte sequences that are not UTF-8: a lone continuation, an overlong slash, a surrogate, a truncated sequence. */
    private static final byte[][] BAD_UTF8 = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}};

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /** count inputs made from seed by 1 to 3 mutations each, the same on every run for the same randomSeed. */
    public static List<Case> mutations(String seedName, byte[] seed, int count, long randomSeed) {
        Random random = new Random(randomSeed ^ seedName.hashCode());
        List<Case> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] b = seed;
            StringBuilder how = new StringBuilder();
            int n = 1 + random.nextInt(3);
            for (int m = 0; m < n; m++) {
                if (!how.isEmpty()) {
                    how.append(", ");
                }
                b = mutateOnce(b, random, how);
            }
            out.add(new Case(seedName, i, how.toString(), b));
        }
        return out;
    }

    private static byte[] mutateOnce(byte[] in, Random r, StringBuilder how) {
        int len = in.length;
        int at = len == 0 ? 0 : r.nextInt(len + 1);
        switch (r.nextInt(10)) {
            case 0 -> {
                if (len == 0) {
                    return insert(in, 0, TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8), how, "token");
                }
                byte[] out = in.clone();
                int i = r.nextInt(len);
                out[i] ^= (byte) (1 << r.nextInt(8));
                how.append("bit flip at ").append(i);
                return out;
            }
            case 1 -> {
                how.append("truncated at ").append(at);
                return java.util.Arrays.copyOf(in, at);
            }
            case 2 -> {
                int end = Math.min(len, at + 1 + r.nextInt(32));
                how.append("deleted ").append(at).append("..").append(end);
                return concat(slice(in, 0, at), slice(in, end, len));
            }
            case 3 -> {
                // a line or span repeated: duplicated keys, tables, entries
                int start = lineStart(in, at);
                int end = lineEnd(in, at);
                if (end - start < 2) {
                    end = Math.min(len, start + 1 + r.nextInt(200));
                }
                how.append("duplicated ").append(start).append("..").append(end);
                return concat(slice(in, 0, end), slice(in, start, end), slice(in, end, len));
            }
            case 4, 5 -> {
                return insert(in, at, TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8), how, "token");
            }
            case 6 -> {
                return insert(in, at, BAD_UTF8[r.nextInt(BAD_UTF8.length)], how, "bad UTF-8");
            }
            case 7 -> {
                // a quoted value (a name, a path, a version, a source) replaced by a hostile one, or made very long
                List<int[]> spans = quoted(in);
                if (spans.isEmpty()) {
                    return insert(in, at, TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8), how, "token");
                }
                int[] s = spans.get(r.nextInt(spans.size()));
                String value = r.nextInt(8) == 0 ? "a".repeat(70_000) : TOKENS.get(r.nextInt(TOKENS.size()));
                String quoted = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000").replace("\n", "\\n")
                        .replace("\r", "\\r").replace("\t", "\\t").replace("\u001b", "\\u001b").replace("\u0007", "\\u0007");
                how.append("value at ").append(s[0]).append(" = ").append(shown(value));
                return concat(slice(in, 0, s[0] + 1), quoted.getBytes(StandardCharsets.UTF_8), slice(in, s[1] - 1, len));
            }
            case 8 -> {
                List<int[]> spans = spans(DIGITS, in);
                String huge = switch (r.nextInt(4)) {
                    case 0 -> "99999999999999999999999999999999";
                    case 1 -> "2147483648";
                    case 2 -> "9".repeat(5000);
                    default -> "0".repeat(300) + "1";
                };
                if (spans.isEmpty()) {
                    return insert(in, at, huge.getBytes(StandardCharsets.UTF_8), how, "number");
                }
                int[] s = spans.get(r.nextInt(spans.size()));
                how.append("number at ").append(s[0]).append(" = ").append(shown(huge));
                return concat(slice(in, 0, s[0]), huge.getBytes(StandardCharsets.UTF_8), slice(in, s[1], len));
            }
            default -> {
                String open = switch (r.nextInt(4)) {
                    case 0 -> "[";
                    case 1 -> "{\"a\":";
                    case 2 -> "a = [";
                    default -> "{";
                };
                return insert(in, at, open.repeat(2000 + r.nextInt(8000)).getBytes(StandardCharsets.UTF_8), how, "deep nesting");
            }
        }
    }

    private static byte[] insert(byte[] in, int at, byte[] what, StringBuilder how, String kind) {
        how.append(kind).append(" at ").append(at).append(": ").append(shown(new String(what, StandardCharsets.UTF_8)));
        return concat(slice(in, 0, at), what, slice(in, at, in.length));
    }

    /** The spans of double-quoted strings on one line (a backslash escapes the next byte), quotes included. */
    private static List<int[]> quoted(byte[] in) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < in.length && out.size() < 10_000; i++) {
            byte b = in[i];
            if (start >= 0 && b == '\\') {
                i++;
            } else if (b == '\n') {
                start = -1;
            } else if (b == '"') {
                if (start < 0) {
                    start = i;
                } else {
                    out.add(new int[] {start, i + 1});
                    start = -1;
                }
            }
        }
        return out;
    }

    private static List<int[]> spans(Pattern p, byte[] in) {
        List<int[]> out = new ArrayList<>();
        // ISO-8859-1 keeps offsets equal to byte offsets
        Matcher m = p.matcher(new String(in, StandardCharsets.ISO_8859_1));
        while (m.find() && out.size() < 10_000) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    private static int lineStart(byte[] in, int at) {
        int i = Math.min(at, in.length);
        while (i > 0 && in[i - 1] != '\n') {
            i--;
        }
        return i;
    }

    private static int lineEnd(byte[] in, int at) {
        int i = at;
        while (i < in.length && in[i] != '\n') {
            i++;
        }
        return Math.min(in.length, i + 1);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, Math.max(0, Math.min(from, b.length)), Math.max(0, Math.min(to, b.length)));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A value as a message shows it: control and non-ASCII characters escaped, cut to 60 characters. */
    public static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 60; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 60 ? b + "...(" + s.length() + " chars)" : b.toString();
    }

    /**
     * Runs check on every case, each on a fresh thread under the watchdog. A case that throws is a failure (all are
     * collected, and the run fails listing the first few with the exception and the file each input was written to);
     * a case still running after {@code watchdog} fails the run at once naming its input (its thread is interrupted
     * and left: it cannot be killed).
     */
    public static void run(List<Case> cases, Duration watchdog, Path failures, Check check) {
        List<String> failed = new ArrayList<>();
        for (Case c : cases) {
            ExecutorService one = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-" + c.index());
                t.setDaemon(true);
                return t;
            });
            try {
                Future<?> f = one.submit(() -> {
                    check.accept(c);
                    return null;
                });
                try {
                    f.get(watchdog.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    throw new AssertionError("still running after " + watchdog + " (a hang): " + c + ", input in " + save(failures, c));
                } catch (ExecutionException e) {
                    if (failed.size() < 20) {
                        failed.add(c + ", input in " + save(failures, c) + ":\n" + stack(e.getCause()));
                    } else {
                        failed.add(c.toString());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            } finally {
                one.shutdownNow();
            }
        }
        if (!failed.isEmpty()) {
            throw new AssertionError(failed.size() + " of " + cases.size() + " inputs failed:\n" + String.join("\n", failed.subList(0, Math.min(failed.size(), 8))));
        }
    }

    private static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
    }

    private static Path save(Path dir, Case c) {
        try {
            Files.createDirectories(dir);
            return Files.write(dir.resolve(c.seed().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + c.index() + ".bin"), c.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
