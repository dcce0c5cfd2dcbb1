package dev.cxpm.core.sync.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.json.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code cxpm sync} installed in a Codex home, per plugin id: version, integrity and the project
 * that asked for it. Lets a no-op sync finish without reading plugin files, and lets sync remove what
 * a project no longer needs while leaving plugins installed by hand (or by Codex) alone.
 * Kept in {@code $CODEX_HOME/.cxpm/sync-state.json}.
 */
public final class SyncState {

    public record Entry(String version, String integrity, String project) {
    }

    private final Path file;
    private final Map<String, Entry> plugins;
    /** The file's bytes as this state was read from them or last wrote them, null when neither: what the sync stamp records of it. */
    private byte[] bytes;

    private SyncState(Path file, Map<String, Entry> plugins) {
        this.file = file;
        this.plugins = plugins;
    }

    public static Path fileOf(CodexHome home) {
        return home.dir().resolve(".cxpm").resolve("sync-state.json");
    }

    /** The state, empty when absent or unreadable (then sync simply verifies and reinstalls). */
    public static SyncState read(CodexHome home) {
        Path file = fileOf(home);
        Map<String, Entry> plugins = new TreeMap<>();
        byte[] read = null;
        if (Files.isRegularFile(file)) {
            try {
                // the hand JSON reader, not an ObjectMapper: every sync that is not a no-op reads and writes this file, and
                // a first ObjectMapper costs a fresh JVM tens of ms (its date format's locale data). Its bytes are kept
                // for the stamp, which read the file again on the no-op path (and so could vouch for bytes not synced from)
                read = JsonFile.bytesIfReadable(file);
                if (read == null) {
                    throw new IOException("not readable");
                }
                JsonNode root = JsonFile.parse(file, read).root();
                for (var e : (Iterable<Map.Entry<String, JsonNode>>) root.path("plugins")::fields) {
                    JsonNode v = e.getValue();
                    plugins.put(e.getKey(), new Entry(v.path("version").asText(), v.path("integrity").asText(), v.path("project").asText()));
                }
            } catch (IOException | RuntimeException e) {
                plugins.clear();
                read = null;
            }
        }
        List<String> hostile = new ArrayList<>();
        plugins.forEach((id, e) -> problem(id, e).ifPresent(p -> hostile.add("`" + id.replaceAll("\\p{Cntrl}", "?") + "`: " + p)));
        if (!hostile.isEmpty()) {
            // sync deletes what this file says it installed: a name here that is path syntax would delete outside the cache
            throw new UserError(UserError.Kind.INVALID_INPUT, file + " names plugins no cxpm wrote, so sync will not act on it:\n  "
                    + String.join("\n  ", hostile.subList(0, Math.min(hostile.size(), 10))),
                    "this file is written by cxpm only: delete it and run `cxpm sync` again (plugins it listed are then left installed)");
        }
        SyncState state = new SyncState(file, plugins);
        state.bytes = read;
        return state;
    }

    /** Why an entry cannot be one sync wrote: its id is not {@code plugin@marketplace} with names Codex accepts, or its version is path syntax. */
    private static Optional<String> problem(String id, Entry e) {
        int at = id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1 || at != id.indexOf('@')) {
            return Optional.of("not a plugin@marketplace id");
        }
        return PluginName.problem(id.substring(0, at)).or(() -> MarketplaceName.problem(id.substring(at + 1)))
                .or(() -> VersionDir.problem(e.version()));
    }

    public Map<String, Entry> plugins() {
        return plugins;
    }

    public void put(String id, Entry e) {
        plugins.put(id, e);
    }

    public void remove(String id) {
        plugins.remove(id);
    }

    public void write() {
        write(contents());
    }

    /** The file's bytes as this state was read from them or last wrote them, when it was either. */
    public Optional<byte[]> bytes() {
        return Optional.ofNullable(bytes);
    }

    /** The file's contents as the state is now: by hand ({@link #plainBytes}) or else through the tree. */
    public record Contents(byte[] plain, String tree) {
    }

    /**
     * What {@link #write()} would write now, to be written later by {@link #write(Contents)}: worked out while other work
     * runs (a sync's placing, on the workers), so that writing it is all that is left for after.
     */
    public Contents contents() {
        byte[] plain = plainBytes();
        return new Contents(plain, plain == null ? tree() : null);
    }

    /** Writes contents, made by {@link #contents()} (when this state was as it is now). */
    public void write(Contents contents) {
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = contents.plain() != null ? contents.plain() : TempPaths.utf8(contents.tree());
            TempPaths.replace(file, ".sync-state", bytes);
            this.bytes = bytes;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * The file's bytes as they are now, which Jackson's indented tree would write ({@link #tree}), made by hand when every
     * string is printable ASCII other than a quote or a backslash (which the tree writes as they are): a sync of 1,000
     * plugins writes this file twice, and the tree, its generator and the text's check for surrogates were ~10 ms of a fresh JVM's main
     * thread, interpreted, with the other core idle. Any other string (an escape, a non-ASCII project path) goes through
     * the tree, which escapes it and refuses what is not valid Unicode: null then (and for no plugins).
     */
    byte[] plainBytes() {
        if (plugins.isEmpty()) {
            return null;
        }
        String nl = System.lineSeparator();
        String head = "{" + nl + "  \"plugins\" : {";
        String key = nl + "    \"";
        String version = "\" : {" + nl + "      \"version\" : \"";
        String integrity = "\"," + nl + "      \"integrity\" : \"";
        String project = "\"," + nl + "      \"project\" : \"";
        String end = "\"" + nl + "    }";
        String tail = nl + "  }" + nl + "}";
        // One pass to check every string and add up the size, one to copy them into an array of that size: built in a
        // StringBuilder (sized short of the text, so grown once), made a String, then encoded, the text was copied three
        // times, ~14 ms of a cold sync of 1,000's main thread for its two writes (docs/BENCHMARKS.md, wt-cold5)
        long size = head.length() + tail.length() + (plugins.size() - 1L)
                + (long) plugins.size() * (key.length() + version.length() + integrity.length() + project.length() + end.length());
        String plainProject = null; // the project path last found plain: every entry of a sync names the same one
        for (Map.Entry<String, Entry> e : plugins.entrySet()) {
            Entry v = e.getValue();
            if (!plain(e.getKey()) || !plain(v.version()) || !plain(v.integrity())) {
                return null;
            }
            if (!v.project().equals(plainProject)) {
                if (!plain(v.project())) {
                    return null;
                }
                plainProject = v.project();
            }
            size += e.getKey().length() + v.version().length() + v.integrity().length() + v.project().length();
        }
        if (size > Integer.MAX_VALUE - 8) {
            return null;
        }
        byte[] b = new byte[(int) size];
        int at = ascii(b, 0, head);
        boolean first = true;
        for (Map.Entry<String, Entry> e : plugins.entrySet()) {
            Entry v = e.getValue();
            if (!first) {
                b[at++] = ',';
            }
            at = ascii(b, at, key);
            at = ascii(b, at, e.getKey());
            at = ascii(b, at, version);
            at = ascii(b, at, v.version());
            at = ascii(b, at, integrity);
            at = ascii(b, at, v.integrity());
            at = ascii(b, at, project);
            at = ascii(b, at, v.project());
            at = ascii(b, at, end);
            first = false;
        }
        ascii(b, at, tail);
        return b;
    }

    /**
     * Copies s, printable ASCII ({@link #plain}, or this class's own punctuation and the line separator), into b at at;
     * returns where it ends. String's copy of its chars' low bytes, exact for ASCII (deprecated for what it does to other
     * chars), is one array copy of a Latin-1 string.
     */
    @SuppressWarnings("deprecation")
    private static int ascii(byte[] b, int at, String s) {
        s.getBytes(0, s.length(), b, at);
        return at + s.length();
    }

    /** Whether Jackson writes s as it is between quotes, and its UTF-8 is its chars: printable ASCII but a quote or a backslash. */
    private static boolean plain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The file's text through Jackson's tree and its default pretty printer. */
    String tree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode ps = root.putObject("plugins");
        plugins.forEach((id, e) -> ps.putObject(id).put("version", e.version()).put("integrity", e.integrity()).put("project", e.project()));
        return JsonText.indented(root);
    }
}
