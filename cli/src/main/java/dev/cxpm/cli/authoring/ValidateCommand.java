package dev.cxpm.cli.authoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.format.json.JsonText;
import dev.cxpm.core.validate.Problem;
import dev.cxpm.core.validate.Validation;
import dev.cxpm.core.validate.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxpm validate}: checks plugins and marketplaces as the real Codex CLI and Claude Code would, plus
 * cxpm's stricter rules, and reports every problem at once. Several paths are validated in one process
 * (with {@code --json}, one JSON object per line), which is what the corpus benchmark uses.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate a plugin or marketplace directory, or a manifest file inside one (default: the current directory).",
                "A directory holding both a plugin and a marketplace manifest is validated as both; naming a manifest "
                        + "file picks one. Exit 0 when there is no error, 1 when there is one."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm validate",
                "      Check the plugin or marketplace in the current directory.",
                "  cxpm validate ./demo --strict",
                "      Check ./demo, counting warnings as errors (exit 1).",
                "  cxpm validate .agents/plugins/marketplace.json",
                "      Check a marketplace by its manifest file."})
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    public Main root;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Plugin dir, marketplace dir or manifest file.")
    public List<String> paths;

    @Option(names = "--json", description = "Print {\"valid\", \"kind\", \"path\", \"problems\"} (one line per PATH when several).")
    public boolean json;

    @Option(names = "--strict", description = "Treat cxpm's own rules (paths, SemVer, SKILL.md metadata, prerequisites, ...) and what Codex would install but not use (unreadable .mcp.json, app without id) as errors.")
    public boolean strict;

    @Override
    public Integer call() {
        Env env = root.env;
        Validation validation = new Validation(strict);
        List<String> targets = paths == null || paths.isEmpty() ? List.of(".") : paths;
        boolean allValid = true;
        for (String target : targets) {
            ValidationReport report = validation.validate(env.resolve(target));
            allValid &= report.valid();
            if (json) {
                printJson(env, report, targets.size() == 1);
            } else {
                printHuman(env, report);
            }
        }
        return allValid ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private static void printJson(Env env, ValidationReport r, boolean pretty) {
        ObjectNode o = JsonOutput.object();
        o.put("valid", r.valid());
        o.put("kind", r.kind());
        o.put("path", r.path().toString());
        ArrayNode list = o.putArray("problems");
        for (Problem p : r.problems()) {
            ObjectNode n = list.addObject();
            n.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            n.put("code", p.code());
            n.put("file", p.file() == null ? null : p.file().toString());
            n.put("line", p.line());
            if (p.column() > 0) {
                n.put("column", p.column());
            }
            n.put("message", p.message());
            n.put("hint", p.hint());
        }
        env.out().println(pretty ? JsonText.indented(o) : JsonText.compact(o));
    }

    private static void printHuman(Env env, ValidationReport r) {
        for (Problem p : r.problems()) {
            String where = p.where(display(env, p.file()));
            env.out().println(where + ": " + p.severity().name().toLowerCase(Locale.ROOT) + " [" + p.code() + "] " + p.message());
            if (p.hint() != null) {
                env.out().println("  hint: " + p.hint());
            }
        }
        String what = r.kind() + " " + display(env, r.path());
        if (r.valid() && r.unusableCount() > 0) {
            // Codex accepts it (so does the JSON verdict), but calling it valid would hide what it silently drops
            env.out().println("⚠ " + what + ": Codex installs it but cannot use all of it (" + r.warningCount() + " warning"
                    + (r.warningCount() == 1 ? "" : "s") + "; `--strict` makes them errors)");
        } else if (r.valid()) {
            env.out().println("✔ " + what + " is valid" + (r.warningCount() > 0 ? " (" + r.warningCount() + " warning"
                    + (r.warningCount() == 1 ? "" : "s") + ")" : ""));
        } else {
            env.out().println("✘ " + what + ": " + r.errorCount() + " error" + (r.errorCount() == 1 ? "" : "s")
                    + ", " + r.warningCount() + " warning" + (r.warningCount() == 1 ? "" : "s"));
        }
    }

    private static String display(Env env, Path file) {
        if (file == null) {
            return "";
        }
        Path cwd = env.cwd().toAbsolutePath().normalize();
        if (file.startsWith(cwd) && !file.equals(cwd)) {
            return cwd.relativize(file).toString();
        }
        return file.equals(cwd) ? "." : file.toString();
    }
}
