package dev.cxpm.cli.trust;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.CodexContext;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.ApprovalRequest;
import dev.cxpm.core.approve.RunSurface;
import dev.cxpm.core.approve.RunSurfaceDiff;
import dev.cxpm.core.approve.UserApprovals;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.install.PluginId;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.LockedRunSurface;
import dev.cxpm.core.sync.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxpm approve [PLUGIN[@MARKETPLACE]...]}: shows exactly what a plugin would run (the one a command last stopped
 * at, else the content cxpm.lock names, else the installed one) and records its approval: for this user in the Codex
 * home, and in cxpm.lock when that is the locked content, so the team's next sync (and CI's --frozen) accepts it.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Show what a plugin would run (MCP server commands, args and env names, remote URLs, hooks, apps) and approve it: "
                + "for you, and in cxpm.lock when it is the locked content. Without PLUGIN: every plugin a command stopped at, and every "
                + "locked plugin whose approval is missing or stale. On a terminal you are asked y/N; elsewhere --yes is needed."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm approve github-triage",
                "      Show what it runs (and what changed since you approved it), ask, record the approval.",
                "  cxpm approve github-triage@team --yes",
                "      Approve without asking, e.g. in a script after reviewing the diff.",
                "  cxpm approve --yes && git add cxpm.lock",
                "      Approve everything pending in this project and commit the approvals for the team."})
public final class ApproveCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(paramLabel = "PLUGIN[@MARKETPLACE]", arity = "0..*", description = "Plugins to approve (default: all pending).")
    List<String> plugins = List.of();

    @Option(names = "--yes", description = "Approve what is shown without asking.")
    boolean yes;

    @Option(names = "--json", description = "Print {plugins: [{pluginId, hash, runs, changes, runsNothing, recordedIn}]}; needs --yes.")
    boolean json;

    /** One plugin to approve: what it runs, where that was read, and what this user approved before. */
    private record Target(String id, RunSurface runs, String from, Optional<RunSurface> before, boolean yours) {
        /** Nobody needs asking: it runs nothing, or is exactly what this user approved (then it is only recorded in cxpm.lock). */
        boolean settled() {
            return runs.isEmpty() || yours;
        }
    }

    @Override
    public Integer call() {
        Env env = root.env;
        CodexHome home = CodexHome.resolve(env.vars(), env.cwd());
        Store store = Store.resolve(env.vars(), env.cwd());
        Optional<Path> projectDir = projectDir(env);
        Optional<Lockfile> lock = projectDir.flatMap(Lockfile::readIfPresent);
        UserApprovals mine = UserApprovals.read(home);
        Map<String, Target> targets = new LinkedHashMap<>();
        if (plugins.isEmpty()) {
            mine.pending().forEach((id, a) -> targets.put(id, target(id, a.runs(), "stopped command", mine)));
            lock.ifPresent(l -> l.plugins().values().forEach(p -> LockedRunSurface.of(p, home, store)
                    .filter(r -> !r.isEmpty() && !p.approved().equals(Optional.of(r.hash())))
                    .ifPresent(r -> targets.putIfAbsent(id(p), target(id(p), r, "cxpm.lock", mine)))));
        } else {
            for (String text : plugins) {
                Target t = find(text, env, home, store, lock, mine);
                targets.put(t.id(), t);
            }
        }
        boolean ask = !yes && !json && env.stdin().terminal();
        if (!yes && !ask && targets.values().stream().anyMatch(t -> !t.settled())) {
            if (!json) {
                targets.values().forEach(t -> show(env, t));
            }
            throw new UserError(UserError.Kind.USAGE, "nothing was approved: stdin is not a terminal, so nobody could be asked",
                    "review what is shown, then run the command again with --yes");
        }
        UserApprovals after = mine;
        Optional<Lockfile> newLock = lock;
        ArrayNode report = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (Target t : targets.values()) {
            ObjectNode o = report.addObject().put("pluginId", t.id()).put("hash", t.runs().hash().text());
            o.set("runs", t.runs().toJson());
            o.set("changes", t.before().map(b -> (com.fasterxml.jackson.databind.JsonNode) RunSurfaceDiff.between(b, t.runs())
                    .toJson(JsonOutput.mapper())).orElse(null));
            o.put("runsNothing", t.runs().isEmpty());
            ArrayNode recorded = o.putArray("recordedIn");
            if (t.runs().isEmpty()) {
                if (!json) {
                    env.out().println(t.id() + " runs nothing (no MCP server, hook or app): it needs no approval.");
                }
                continue;
            }
            if (ask && !t.yours()) {
                show(env, t);
                if (!ApprovalOption.ask(env, new ApprovalRequest(t.id(), t.runs(), Optional.empty(), Optional.empty()))) {
                    env.out().println("Not approved: " + t.id() + ".");
                    continue;
                }
            } else if (!json && !t.yours()) {
                show(env, t);
            }
            after = after.withApproved(t.id(), t.runs());
            recorded.add("user");
            Optional<LockedPlugin> locked = newLock.flatMap(l -> lockedAs(l, t.id()));
            if (locked.isPresent() && !locked.get().approved().equals(Optional.of(t.runs().hash()))
                    && LockedRunSurface.of(locked.get(), home, store).filter(r -> r.hash().equals(t.runs().hash())).isPresent()) {
                newLock = newLock.map(l -> l.withApproved(locked.get().name(), t.runs().hash()));
                recorded.add(Lockfile.FILE_NAME);
            }
            if (!json) {
                env.out().println("Approved " + t.id() + " (" + t.runs().hash() + "): recorded for you"
                        + (recorded.size() > 1 ? " and in " + Lockfile.FILE_NAME + " (commit it for your team)"
                        : locked.isPresent() ? "; the next `cxpm sync` or `cxpm update` records it in " + Lockfile.FILE_NAME : "")
                        + ".");
            }
        }
        if (after != mine) {
            after.write();
        }
        if (newLock.isPresent() && !newLock.get().toText().equals(lock.get().toText())) {
            newLock.get().write(projectDir.get());
        }
        if (json) {
            ObjectNode o = JsonOutput.object();
            o.set("plugins", report);
            env.out().println(JsonOutput.pretty(o));
        } else if (targets.isEmpty()) {
            env.out().println("Nothing to approve: no command stopped at a plugin" + (lock.isPresent() ? ", and cxpm.lock's approvals match." : "."));
        }
        return ExitCodes.OK;
    }

    private void show(Env env, Target t) {
        if (t.runs().isEmpty()) {
            return;
        }
        env.out().println(t.id() + " runs (" + t.runs().hash() + ", from " + t.from() + "):");
        t.runs().entries().forEach(e -> env.out().println("  " + e));
        t.before().map(b -> RunSurfaceDiff.between(b, t.runs())).filter(d -> !d.isEmpty()).ifPresent(d -> {
            env.out().println("  changed since you approved " + t.before().get().hash() + ":");
            d.lines().forEach(l -> env.out().println("    " + l));
        });
    }

    /** The plugin named by text: its pending run surface, else its locked content's, else its installed one's. */
    private Target find(String text, Env env, CodexHome home, Store store, Optional<Lockfile> lock, UserApprovals mine) {
        String id = text.contains("@") ? PluginId.parse(text, Optional.empty()).toString() : bareId(text, env, lock, mine);
        Optional<UserApprovals.Approval> pending = mine.pending(id);
        if (pending.isPresent()) {
            return target(id, pending.get().runs(), "stopped command", mine);
        }
        Optional<LockedPlugin> locked = lock.flatMap(l -> lockedAs(l, id));
        if (locked.isPresent()) {
            Optional<RunSurface> r = LockedRunSurface.of(locked.get(), home, store);
            if (r.isPresent()) {
                return target(id, r.get(), "cxpm.lock", mine);
            }
        }
        Optional<Installer.InstalledPlugin> installed = CodexContext.of(env).installer().list().stream()
                .filter(p -> p.id().toString().equals(id)).findFirst();
        if (installed.isPresent()) {
            return target(id, RunSurface.of(Plugin.load(installed.get().path())), "installed", mine);
        }
        throw new UserError(UserError.Kind.NOT_FOUND, "nothing to approve for " + id + ": no command stopped at it"
                + (locked.isPresent() ? ", its locked content is not here yet" : "") + " and it is not installed",
                locked.isPresent() ? "run `cxpm sync`: it fetches the locked content, then stops and shows what it would run"
                        : "run the install: it stops and shows what would run, then approve it");
    }

    /** PLUGIN without @MARKETPLACE: the locked one, else the one a command stopped at, else the installed one. */
    private String bareId(String name, Env env, Optional<Lockfile> lock, UserApprovals mine) {
        dev.cxpm.core.codexhome.PluginName.of(name);
        Optional<LockedPlugin> locked = lock.map(l -> l.plugins().get(name));
        if (locked.isPresent()) {
            return id(locked.get());
        }
        List<String> ids = new ArrayList<>(mine.pending().keySet().stream().filter(k -> k.startsWith(name + "@")).toList());
        if (ids.isEmpty()) {
            ids.addAll(CodexContext.of(env).installer().list().stream().map(p -> p.id().toString())
                    .filter(k -> k.startsWith(name + "@")).toList());
        }
        if (ids.size() == 1) {
            return ids.getFirst();
        }
        throw ids.isEmpty()
                ? new UserError(UserError.Kind.NOT_FOUND, "nothing to approve for `" + name + "`: no command stopped at it, and it is "
                        + "neither locked here nor installed", "run the install, sync or update: it stops and shows what would run")
                : new UserError(UserError.Kind.USAGE, "plugin `" + name + "` is in " + ids.size() + " marketplaces; say which:\n  "
                        + String.join("\n  ", ids), null);
    }

    private static Target target(String id, RunSurface runs, String from, UserApprovals mine) {
        Optional<UserApprovals.Approval> approved = mine.approved(id);
        boolean yours = approved.filter(a -> a.hash().equals(runs.hash())).isPresent();
        return new Target(id, runs, from, approved.map(UserApprovals.Approval::runs).filter(b -> !yours), yours);
    }

    private static Optional<LockedPlugin> lockedAs(Lockfile lock, String id) {
        return lock.plugins().values().stream().filter(p -> id(p).equals(id)).findFirst();
    }

    private static String id(LockedPlugin p) {
        return p.name() + "@" + p.marketplace();
    }

    private static Optional<Path> projectDir(Env env) {
        try {
            return Optional.of(ProjectManifest.findProjectDir(env.cwd()));
        } catch (UserError e) {
            return Optional.empty();
        }
    }
}
