package dev.cxpm.cli.trust;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.CodexContext;
import dev.cxpm.cli.help.CompletionValues;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.UserError;
import dev.cxpm.core.audit.Audit;
import dev.cxpm.core.audit.AuditedPlugin;
import dev.cxpm.core.audit.ChangedFiles;
import dev.cxpm.core.audit.Finding;
import dev.cxpm.core.audit.Note;
import dev.cxpm.core.audit.Severity;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.store.Store;
import dev.cxpm.core.sync.home.SyncState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cxpm audit}: everything installed in the Codex home (whoever installed it), checked for what should not be
 * there: secrets, hidden Unicode in instructions, MCP servers that fetch unpinned code or talk plain HTTP, files
 * changed since install, and yanked, deprecated or advised-against versions. The project's cxpm.lock, when there is
 * one, says what each locked plugin's files must be.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Check every installed plugin (the Codex home's, and the project's cxpm.lock when in a project) for secrets and "
                + "tokens in its files, hidden or bidirectional Unicode in SKILL.md and prompts, MCP servers that fetch unpinned code at run "
                + "time (npx -y pkg, uvx pkg, docker run image:latest) or use plain HTTP, files changed since install, and versions its "
                + "registry yanked, deprecated or published an advisory for.",
                "Exit 0 when nothing was found at or above --fail-on (default error), 1 otherwise."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm audit",
                "      Report what was found, plugin by plugin; fail on errors.",
                "  cxpm audit --fail-on warning",
                "      Fail on warnings too (unpinned packages, yanked versions), e.g. in CI.",
                "  cxpm audit --json",
                "      The same as JSON, for scripts."})
public final class AuditCommand implements Callable<Integer> {
    @ParentCommand
    Main root;

    @Option(names = "--json", description = "Print {passed, failOn, summary, plugins:[{plugin, version, path}], "
            + "findings:[{severity, code, plugin, file, line, message, hint}], notes:[{code, plugin, file, message}]}.")
    boolean json;

    @Option(names = "--fail-on", paramLabel = "error|warning", completionCandidates = CompletionValues.FailOn.class,
            description = "The lowest severity that makes the audit fail (exit 1): error (the default) or warning.")
    String failOn = "error";

    @Override
    public Integer call() {
        Severity threshold = switch (failOn.toLowerCase(Locale.ROOT)) {
            case "error" -> Severity.ERROR;
            case "warning" -> Severity.WARNING;
            default -> throw new UserError(UserError.Kind.USAGE, "--fail-on takes error or warning, not `" + failOn + "`",
                    "cxpm audit --fail-on warning");
        };
        CodexContext ctx = CodexContext.of(root.env);
        List<AuditedPlugin> plugins = new ArrayList<>();
        for (Installer.InstalledPlugin p : ctx.installer().list()) {
            plugins.add(AuditedPlugin.read(p.id().plugin(), p.id().marketplace(), p.version(), p.path(), p.enabled()));
        }
        List<Note> notes = new ArrayList<>();
        Optional<Lockfile> lock = projectLock(notes);
        var recorded = ChangedFiles.recorded(lock, SyncState.read(ctx.home()));
        Store store = Store.resolve(root.env.vars(), root.env.cwd());
        List<dev.cxpm.core.audit.AuditCheck> checks = new ArrayList<>(Audit.standardChecks(ctx.home(), store, recorded));
        checks.add(new dev.cxpm.core.audit.PolicyCheck(ctx.policy(), policyCandidate(ctx)));
        checks.add(new dev.cxpm.core.audit.ApprovalCheck(dev.cxpm.core.approve.UserApprovals.read(ctx.home()), lock));
        Audit.Report found = Audit.run(plugins, checks, ctx.progress());
        notes.addAll(found.notes());
        Audit.Report report = new Audit.Report(found.plugins(), found.findings(), notes);
        boolean passed = !report.fails(threshold);
        if (json) {
            root.env.out().println(JsonOutput.pretty(json(report, threshold, passed)));
        } else {
            print(report, threshold, passed);
        }
        return passed ? ExitCodes.OK : ExitCodes.AUDIT_FAILED;
    }

    /** The project's lockfile when the command runs in a project; a lockfile that cannot be read is noted, not fatal. */
    private Optional<Lockfile> projectLock(List<Note> notes) {
        Path dir;
        try {
            dir = ProjectManifest.findProjectDir(root.env.cwd());
        } catch (UserError notInProject) {
            return Optional.empty();
        }
        try {
            return Lockfile.readIfPresent(dir);
        } catch (UserError e) {
            notes.add(new Note("lockfile-unreadable", null, Lockfile.FILE_NAME, "not used to check installed files: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private static ObjectNode json(Audit.Report report, Severity threshold, boolean passed) {
        ObjectNode o = JsonOutput.object();
        o.put("passed", passed);
        o.put("failOn", threshold.word());
        ObjectNode summary = o.putObject("summary");
        summary.put("plugins", report.plugins().size());
        summary.put("errors", count(report, Severity.ERROR));
        summary.put("warnings", count(report, Severity.WARNING));
        summary.put("notes", report.notes().size());
        ArrayNode plugins = o.putArray("plugins");
        for (AuditedPlugin p : report.plugins()) {
            plugins.addObject().put("plugin", p.id()).put("version", p.version()).put("path", p.dir().toString());
        }
        ArrayNode findings = o.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode n = findings.addObject();
            n.put("severity", f.severity().word());
            n.put("code", f.code());
            n.put("plugin", f.plugin());
            n.put("file", f.file());
            if (f.line() > 0) {
                n.put("line", f.line());
            } else {
                n.putNull("line");
            }
            n.put("message", f.message());
            n.put("hint", f.hint());
        }
        ArrayNode notes = o.putArray("notes");
        for (Note note : report.notes()) {
            notes.addObject().put("code", note.code()).put("plugin", note.plugin()).put("file", note.file()).put("message", note.message());
        }
        return o;
    }

    private void print(Audit.Report report, Severity threshold, boolean passed) {
        var out = root.env.out();
        java.util.Map<String, List<Finding>> byPlugin = report.findings().stream()
                .collect(java.util.stream.Collectors.groupingBy(Finding::plugin));
        for (AuditedPlugin p : report.plugins()) {
            List<Finding> of = byPlugin.getOrDefault(p.id(), List.of());
            if (of.isEmpty()) {
                continue;
            }
            out.println(p.id() + " " + p.version());
            for (Finding f : of) {
                out.println("  " + f.severity().word() + " [" + f.code() + "] " + (f.where().isEmpty() ? "" : f.where() + ": ") + f.message());
                out.println("    hint: " + f.hint());
            }
        }
        long errors = count(report, Severity.ERROR);
        long warnings = count(report, Severity.WARNING);
        out.println("Audited " + report.plugins().size() + " plugin" + (report.plugins().size() == 1 ? "" : "s") + ": "
                + (errors + warnings == 0 ? "nothing found." : errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                        + (warnings == 1 ? "" : "s") + "."));
        out.flush();
        Terminal terminal = Terminal.of(root.env);
        for (Note n : report.notes()) {
            terminal.warning((n.plugin() == null ? "" : n.plugin() + ": ") + (n.file() == null ? "" : n.file() + ": ") + n.message());
        }
        if (!passed) {
            terminal.error("the audit found " + report.findings().stream().filter(f -> f.severity().atLeast(threshold)).count()
                    + " finding(s) at or above " + threshold.word());
        }
    }

    private static long count(Audit.Report report, Severity s) {
        return report.findings().stream().filter(f -> f.severity() == s).count();
    }

    /** An installed plugin as install shows it to the policy: its marketplace's entry and registry, its version and files. */
    private static java.util.function.Function<AuditedPlugin, dev.cxpm.core.install.PluginGate.Candidate> policyCandidate(CodexContext ctx) {
        var configured = ctx.home().config().marketplaces();
        var marketplaces = ctx.marketplaces();
        return p -> {
            Optional<dev.cxpm.core.codexhome.CodexConfig.MarketplaceEntry> entry = Optional.ofNullable(configured.get(p.marketplace()));
            return new dev.cxpm.core.install.PluginGate.Candidate(p.name(), p.marketplace(), entry,
                    entry.flatMap(e -> marketplaces.registryOf(p.marketplace(), e)), Optional.of(p.version()), p.manifest());
        };
    }
}
