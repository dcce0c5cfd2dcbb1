package dev.cxpm.core.approve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.json.JsonText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One user's approvals, per Codex home ({@code $CODEX_HOME/.cxpm/approvals.json}): for each {@code plugin@marketplace},
 * the run surface they approved ({@code cxpm approve}, a prompt, {@code --yes}), and the one a command last stopped at
 * (pending), which {@code cxpm approve} shows. Each entry keeps the surface itself, so the next change is shown as a
 * diff; an entry whose surface does not hash to its recorded hash was not written by cxpm and approves nothing.
 */
public final class UserApprovals {

    public record Approval(RunHash hash, RunSurface runs) {
        static Approval of(RunSurface runs) {
            return new Approval(runs.hash(), runs);
        }
    }

    private final Path file;
    private final SortedMap<String, Approval> approved;
    private final SortedMap<String, Approval> pending;

    private UserApprovals(Path file, SortedMap<String, Approval> approved, SortedMap<String, Approval> pending) {
        this.file = file;
        this.approved = Collections.unmodifiableSortedMap(approved);
        this.pending = Collections.unmodifiableSortedMap(pending);
    }

    public static Path fileOf(CodexHome home) {
        return home.dir().resolve(".cxpm").resolve("approvals.json");
    }

    /** The approvals of this Codex home; none when the file is absent. A file that is not JSON is refused, never overwritten. */
    public static UserApprovals read(CodexHome home) {
        Path file = fileOf(home);
        SortedMap<String, Approval> approved = new TreeMap<>();
        SortedMap<String, Approval> pending = new TreeMap<>();
        if (Files.exists(file)) {
            JsonFile json = switch (JsonFile.tryRead(file)) {
                case JsonFile.Parsed p -> p.file();
                case JsonFile.Failed f -> throw new UserError(UserError.Kind.INVALID_INPUT, file + " cannot be read: " + f.failure().message(),
                        "it is written by cxpm only: delete it, and approve again what you use (`cxpm approve PLUGIN@MARKETPLACE`)");
            };
            entries(json.root().path("approved"), approved);
            entries(json.root().path("pending"), pending);
        }
        return new UserApprovals(file, approved, pending);
    }

    private static void entries(JsonNode map, SortedMap<String, Approval> into) {
        map.properties().forEach(e -> {
            Optional<RunHash> hash = RunHash.parse(e.getValue().path("hash").asText(null));
            RunSurface runs = RunSurface.fromJson(e.getValue().path("runs"));
            if (validId(e.getKey()) && hash.isPresent() && hash.get().equals(runs.hash())) {
                into.put(e.getKey(), new Approval(hash.get(), runs));
            }
        });
    }

    private static boolean validId(String id) {
        int at = id.indexOf('@');
        return at > 0 && at == id.lastIndexOf('@') && PluginName.problem(id.substring(0, at)).isEmpty()
                && MarketplaceName.problem(id.substring(at + 1)).isEmpty();
    }

    public Optional<Approval> approved(String pluginId) {
        return Optional.ofNullable(approved.get(pluginId));
    }

    public Optional<Approval> pending(String pluginId) {
        return Optional.ofNullable(pending.get(pluginId));
    }

    public SortedMap<String, Approval> pending() {
        return pending;
    }

    /** Approves runs for pluginId; a pending entry it answers is done. */
    public UserApprovals withApproved(String pluginId, RunSurface runs) {
        SortedMap<String, Approval> a = new TreeMap<>(approved);
        SortedMap<String, Approval> p = new TreeMap<>(pending);
        a.put(pluginId, Approval.of(runs));
        if (p.containsKey(pluginId) && p.get(pluginId).hash().equals(runs.hash())) {
            p.remove(pluginId);
        }
        return new UserApprovals(file, a, p);
    }

    public UserApprovals withPending(String pluginId, RunSurface runs) {
        SortedMap<String, Approval> p = new TreeMap<>(pending);
        p.put(pluginId, Approval.of(runs));
        return new UserApprovals(file, approved, p);
    }

    /** Written atomically (a temp file beside it, then a move): a crash leaves the old file or the new one. */
    public void write() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", 1);
        put(root.putObject("approved"), approved);
        put(root.putObject("pending"), pending);
        try {
            Files.createDirectories(file.getParent());
            // the bytes an indenting ObjectMapper wrote, by Jackson's generator alone: a first ObjectMapper costs a
            // fresh JVM tens of ms (its settings load the time-zone data), and install writes approvals as it installs
            TempPaths.replace(file, ".approvals", JsonText.indented(root));
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static void put(ObjectNode into, Map<String, Approval> entries) {
        entries.forEach((id, a) -> {
            ObjectNode o = into.putObject(id);
            o.put("hash", a.hash().text());
            o.set("runs", a.runs().toJson());
        });
    }
}
