package dev.cxpm.cli.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.codexhome.MarketplaceCommand;
import dev.cxpm.cli.codexhome.PrerequisitesOption;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.sync.ProjectSync;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints what a sync changed, for people or (with --json) for programs; shared by sync, add, remove, update. */
final class SyncReport {

    private SyncReport() {
    }

    static void print(Env env, ProjectSync.Result r, boolean json) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("lockfileWritten", r.lockWritten());
            List<Map<String, Object>> lock = new ArrayList<>();
            for (ProjectSync.LockChange c : r.lockChanges()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("plugin", c.plugin());
                m.put("from", c.from().orElse(null));
                m.put("to", c.to().orElse(null));
                lock.add(m);
            }
            out.put("lockChanges", lock);
            List<Map<String, Object>> changes = new ArrayList<>();
            for (ProjectSync.Change c : r.changes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("action", c.action().name().toLowerCase(java.util.Locale.ROOT));
                m.put("pluginId", c.id());
                m.put("from", c.from().orElse(null));
                m.put("to", c.to().orElse(null));
                changes.add(m);
            }
            out.put("changes", changes);
            out.put("plugins", r.lock().plugins().size());
            List<Map<String, Object>> warnings = new ArrayList<>();
            r.warnings().forEach(w -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("code", w.code());
                m.put("pluginId", w.plugin());
                m.put("problem", w.problem());
                m.put("fix", w.fix());
                warnings.add(m);
            });
            warnings.addAll(unreachableJson(env, r.unreachable()));
            out.put("warnings", warnings);
            out.put("missingPrerequisites", r.missingPrerequisites().lines());
            try {
                env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        // one print of every line, not one per change: each println reached the terminal (or pipe) with a write of its own,
        // a sync of N plugins made N of them; the lines are the same, in the same order, before anything on stderr
        StringBuilder lines = new StringBuilder();
        String eol = System.lineSeparator();
        for (ProjectSync.Change c : r.changes()) {
            String what = switch (c.action()) {
                case INSTALL -> "+ " + c.id() + " " + c.to().orElse("");
                case UPDATE -> "~ " + c.id() + " " + c.from().orElse("?") + " -> " + c.to().orElse("");
                case REPAIR -> "! " + c.id() + " " + c.to().orElse("") + " (files were edited; reinstalled)";
                case REPLACE -> "! " + c.id() + " " + c.to().orElse("") + " (its files differed from the locked content; replaced)";
                case REPLACE_LINK -> "! " + c.id() + " " + c.to().orElse("") + " (its directory was a link, not followed; replaced)";
                case REMOVE -> "- " + c.id() + " " + c.from().orElse("");
                case ENABLE -> "  " + c.id() + " enabled";
                case DISABLE -> "  " + c.id() + " disabled";
            };
            lines.append(what).append(eol);
        }
        if (r.changes().isEmpty()) {
            lines.append(alreadyInSync(r.lock().plugins().size()));
        } else {
            lines.append("Synced ").append(r.lock().plugins().size()).append(" plugin(s) from cxpm.lock.");
        }
        if (r.lockWritten()) {
            lines.append(eol).append("Wrote cxpm.lock.");
        }
        env.out().println(lines);
        for (var w : r.warnings()) {
            Terminal.of(env).warning(w.problem());
            env.err().println("  fix: " + w.fix());
        }
        PrerequisitesOption.warn(env, r.missingPrerequisites());
        printUnreachable(env, r.unreachable());
    }

    /** "could not reach URL (why); using the copy of its index cached 3 days ago": a cached answer is never silent. */
    static String unreachable(Env env, dev.cxpm.core.sync.ProjectIndex.Unreachable u) {
        return "could not reach " + u.url() + " (" + u.why() + "); using the copy of its index cached "
                + MarketplaceCommand.age(java.time.Duration.between(u.cachedAt(), env.clock().instant()));
    }

    static final String UNREACHABLE_FIX = "check the address and your network; the versions shown may be out of date";

    static void printUnreachable(Env env, List<dev.cxpm.core.sync.ProjectIndex.Unreachable> list) {
        for (var u : list) {
            Terminal.of(env).warning(unreachable(env, u));
            env.err().println("  fix: " + UNREACHABLE_FIX);
        }
    }

    /** The same as --json warnings: {code: registry-unreachable, marketplace, url, problem, fix, cachedAt}. */
    static List<Map<String, Object>> unreachableJson(Env env, List<dev.cxpm.core.sync.ProjectIndex.Unreachable> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var u : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", "registry-unreachable");
            m.put("marketplace", u.marketplace());
            m.put("url", u.url().toString());
            m.put("problem", unreachable(env, u));
            m.put("fix", UNREACHABLE_FIX);
            m.put("cachedAt", u.cachedAt().toString());
            out.add(m);
        }
        return out;
    }

    static String alreadyInSync(int plugins) {
        return "Already in sync: " + plugins + " plugin(s) from cxpm.lock.";
    }
}
