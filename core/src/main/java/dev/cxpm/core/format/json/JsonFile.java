package dev.cxpm.core.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A JSON file parsed once, keeping its exact text and where every value sits in it (line and character
 * span, by JSON Pointer such as {@code /interface/displayName}). The spans let a caller rewrite one value
 * in place ({@link #replace}) and leave every other byte of the file as the author wrote it.
 *
 * <p>Parsing is as strict as the real Codex CLI's serde_json: no comments, no trailing commas, no
 * trailing content, no byte-order mark, nesting at most {@value #MAX_DEPTH} deep (serde_json's recursion
 * limit), and at most {@value #MAX_BYTES} bytes. A duplicated key keeps its last value (as JSON.parse
 * does) and is remembered in {@link #duplicateKeys()}. {@link PlainJson} reads the plain texts, {@link JacksonJson} the
 * rest.
 */
public final class JsonFile {
    /** serde_json's default recursion limit: deeper documents are rejected by Codex. */
    public static final int MAX_DEPTH = 128;
    /** Manifests are small; anything bigger is hostile or a mistake. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    /** Where a value is: 1-based line and column of its first character, and its [start, end) char span. */
    public record Span(int line, int column, int start, int end) {
    }

    private final Path path;
    private final String text;
    private final JsonNode root;
    /**
     * Every value's span by pointer; null until asked for when the text was read as a tree alone ({@link PlainJson#tree}):
     * then made from the text on first use, by the same reading ({@link #spans()}). Most files are read for what they say
     * (a sync reads every plugin's manifest and .mcp.json), and only a report or an edit asks where a value is.
     */
    private volatile Spans spans;
    private final List<String> duplicateKeys;

    JsonFile(Path path, String text, JsonNode root, Spans spans, List<String> duplicateKeys) {
        this.path = path;
        this.text = text;
        this.root = root;
        this.spans = spans;
        this.duplicateKeys = duplicateKeys;
    }

    /** This parse, as of file: what parsing the same text there gives (the path only names where problems are). */
    public JsonFile at(Path file) {
        return new JsonFile(file, text, root, spans, duplicateKeys);
    }

    /** Reads and parses a file; bad JSON is an INVALID_INPUT error naming file, line and column. */
    public static JsonFile read(Path file) {
        Outcome outcome = tryRead(file); // instanceof, not a pattern switch: its bootstrap costs a cold command ms
        if (outcome instanceof Parsed p) {
            return p.file();
        }
        throw ((Failed) outcome).failure().toUserError();
    }

    /** Parses text that came from (or will go to) file; bad JSON is an INVALID_INPUT error. */
    public static JsonFile parse(Path file, String text) {
        try {
            return doParse(file, text);
        } catch (Fail f) {
            throw f.failure.toUserError();
        }
    }

    /** Parses file's bytes, read already, as {@link #read} would read them there (UTF-8 only); else INVALID_INPUT. */
    public static JsonFile parse(Path file, byte[] bytes) {
        try {
            return doParse(file, utf8(file, bytes));
        } catch (Fail f) {
            throw f.failure.toUserError();
        }
    }

    /**
     * Why text is not JSON as Codex reads it, named by source (which need not be a path on this machine: an entry of
     * an uploaded archive), or empty when it parses.
     */
    public static Optional<SyntaxError> syntaxError(String source, String text) {
        try {
            doParse(Path.of("unnamed.json"), text);
            return Optional.empty();
        } catch (Fail f) {
            return Optional.of(new SyntaxError(source, f.failure.line(), f.failure.column(), f.failure.message(), f.failure.hint()));
        }
    }

    /** Reads a UTF-8 text file of at most maxBytes; anything else is a clear user error. */
    public static String readText(Path file, int maxBytes) {
        try {
            return doReadText(file, maxBytes);
        } catch (Fail f) {
            throw f.failure.toUserError();
        }
    }

    /**
     * The bytes of file when {@link #read} would read them (a regular file of at most {@value #MAX_BYTES} bytes), for a
     * reader of its own ({@link StreamedJson}); null when it could not be read so, and {@link #read} says why.
     */
    public static byte[] bytesIfReadable(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return a.isRegularFile() && a.size() <= MAX_BYTES ? FileText.bytes(file, a, MAX_BYTES) : null;
        } catch (IOException | RuntimeException e) { // FileText.TooLarge included: one that grew since it was looked at
            return null;
        }
    }

    private static String doReadText(Path file, int maxBytes) {
        return doReadText(file, maxBytes, null);
    }

    /**
     * looked: the file's attributes (following links, or not as links says) just read by the caller, or null to read them
     * here; links: how the file is opened.
     */
    private static String doReadText(Path file, int maxBytes, java.nio.file.attribute.BasicFileAttributes looked,
            java.nio.file.LinkOption... links) {
        try {
            // one stat (following links, as isDirectory and size each did) for both questions
            java.nio.file.attribute.BasicFileAttributes a = looked != null ? looked
                    : Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new Fail(new Failure(file, UserError.Kind.INVALID_INPUT, "is a directory, expected a file", 0, 0, null));
            }
            long size = a.size();
            if (size > maxBytes) {
                throw new Fail(new Failure(file, UserError.Kind.INVALID_INPUT,
                        "file is " + size + " bytes, larger than the " + maxBytes + " bytes cxpm reads", 0, 0,
                        "manifests are small; check that the right file is named"));
            }
            return utf8(file, FileText.bytes(file, a, maxBytes, links));
        } catch (FileText.NotRegularFile e) {
            throw new Fail(new Failure(file, UserError.Kind.INVALID_INPUT, "must be a regular file; it is " + e.what(), 0, 0, null));
        } catch (FileText.TooLarge e) { // one that grew since it was looked at
            throw new Fail(new Failure(file, UserError.Kind.INVALID_INPUT, "file is larger than the " + maxBytes + " bytes cxpm reads",
                    0, 0, "manifests are small; check that the right file is named"));
        } catch (NoSuchFileException e) {
            throw new Fail(new Failure(file, UserError.Kind.NOT_FOUND, "no such file", 0, 0, null));
        } catch (IOException e) {
            throw new Fail(new Failure(file, UserError.Kind.IO, "cannot read: " + e, 0, 0, null));
        }
    }

    /** The bytes as UTF-8 text, as {@link #read} takes a file's: anything not UTF-8 is refused, not replaced. */
    private static String utf8(Path file, byte[] bytes) {
        try {
            return FileText.utf8(bytes);
        } catch (CharacterCodingException e) {
            throw new Fail(new Failure(file, UserError.Kind.INVALID_INPUT, "not UTF-8 text (binary content?)", 0, 0,
                    "save the file as UTF-8 text"));
        }
    }

    private static JsonFile doParse(Path file, String text) {
        if (text.length() > MAX_BYTES) {
            throw new Fail(new Failure(file, UserError.Kind.INVALID_INPUT, "larger than " + MAX_BYTES + " bytes", 0, 0, null));
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new Fail(syntax(file, "expected value (the file starts with a byte-order mark)", 1, 1));
        }
        PlainJson.Tree plain = PlainJson.tree(text);
        if (plain != null) {
            return new JsonFile(file, text, plain.root, plain.spans, plain.duplicates);
        }
        return JacksonJson.read(file, text);
    }

    static Failure syntax(Path file, String message, int line, int column) {
        return new Failure(file, UserError.Kind.INVALID_INPUT, "invalid JSON: " + message, line, column, SyntaxError.JSON_HINT);
    }

    /**
     * Why a file could not be read as JSON: what a validation report shows (message without the file name,
     * line and column when known) or, through {@link #toUserError()}, what a command reports.
     */
    public record Failure(Path file, UserError.Kind kind, String message, int line, int column, String hint) {
        public UserError toUserError() {
            return new UserError(kind, new SyntaxError(file.toString(), line, column, message, hint).message(), hint);
        }
    }

    /** The outcome of {@link #tryRead}: a parsed file or why not. */
    public sealed interface Outcome permits Parsed, Failed {
    }

    public record Parsed(JsonFile file) implements Outcome {
    }

    public record Failed(Failure failure) implements Outcome {
    }

    static final class Fail extends RuntimeException {
        final transient Failure failure;

        Fail(Failure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }

    /** Reads and parses a file without throwing for bad content (validation collects it instead). */
    public static Outcome tryRead(Path file) {
        try {
            return new Parsed(doParse(file, doReadText(file, MAX_BYTES)));
        } catch (Fail f) {
            return new Failed(f.failure);
        }
    }

    /**
     * What {@code Files.isRegularFile(file) ? tryRead(file) : none} gives, with one stat (following links, as both did)
     * where they made two: empty when file is not a regular file or cannot be looked at.
     */
    public static Optional<Outcome> tryReadIfFile(Path file) {
        return tryReadIfFile(file, new java.nio.file.LinkOption[0]);
    }

    /**
     * As {@link #tryReadIfFile(Path)}; with NOFOLLOW_LINKS, a link is no regular file and the file is opened through no
     * link (O_NOFOLLOW): one look and the open, where proving it no link first took a look of its own.
     */
    public static Optional<Outcome> tryReadIfFile(Path file, java.nio.file.LinkOption... links) {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, links);
        } catch (IOException | SecurityException notLooked) {
            return Optional.empty();
        }
        if (!a.isRegularFile()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(doParse(file, doReadText(file, MAX_BYTES, a, links))));
        } catch (Fail f) {
            return Optional.of(new Failed(f.failure));
        }
    }

    public Path path() {
        return path;
    }

    public String text() {
        return text;
    }

    public JsonNode root() {
        return root;
    }

    /** 1-based line of the value at jsonPointer, 0 when there is no such value. */
    public int lineOf(String jsonPointer) {
        Span s = spans().get(jsonPointer);
        return s == null ? 0 : s.line();
    }

    /** Line of the value at jsonPointer, or of its nearest existing parent; 0 when none. */
    public int lineNear(String jsonPointer) {
        Spans spans = spans();
        for (String p = jsonPointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Span s = spans.get(p);
            if (s != null) {
                return s.line();
            }
            if (p.isEmpty()) {
                return 0;
            }
        }
    }

    /**
     * Every value's span by JSON Pointer (also for the tests that compare the two readers): made on first use when the
     * text was read as a tree alone, by PlainJson with its spans (the text it read as a tree it reads whole again).
     */
    Spans spans() {
        Spans s = spans;
        if (s == null) {
            PlainJson.Tree again = PlainJson.read(text);
            s = again != null ? again.spans : JacksonJson.read(path, text).spans();
            spans = s;
        }
        return s;
    }

    public Optional<Span> spanOf(String jsonPointer) {
        return Optional.ofNullable(spans().get(jsonPointer));
    }

    /** Pointers of object keys that appear more than once in the same object (the last value is kept). */
    public List<String> duplicateKeys() {
        return duplicateKeys;
    }

    /**
     * The file's text with the value at jsonPointer replaced by jsonLiteral (already JSON, e.g. {@code "\"1.2.0\""}),
     * every other character unchanged. Throws IllegalArgumentException when there is no such value.
     */
    public String replace(String jsonPointer, String jsonLiteral) {
        Span s = spans().get(jsonPointer);
        if (s == null) {
            throw new IllegalArgumentException("no value at " + jsonPointer + " in " + path);
        }
        return text.substring(0, s.start()) + jsonLiteral + text.substring(s.end());
    }

    /** The same file after {@link #replace}, parsed again. */
    public JsonFile with(String jsonPointer, String jsonLiteral) {
        return parse(path, replace(jsonPointer, jsonLiteral));
    }

    /** Escapes a key for use in a JSON Pointer (RFC 6901). */
    public static String pointerKey(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
