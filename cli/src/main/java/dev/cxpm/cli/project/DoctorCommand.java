package dev.cxpm.cli.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.Doctor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxpm doctor}: drift between cxpm.lock and the Codex home, each with the command that fixes it; apart from it,
 * what the enabled plugins lack on this machine, which sync cannot fix (a warning unless {@code --strict}).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Report drift between cxpm.lock and the Codex home (plugins missing or edited by hand, enabled or "
                + "disabled behind cxpm's back, stale marketplace clones) and the command that fixes each; then, as warnings, "
                + "the prerequisites the enabled plugins lack here (a command on PATH, an environment variable) and how to get each.",
                "Exit 0 when there is no drift (and, with --strict, no missing prerequisite), 1 otherwise."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm doctor",
                "      Show what differs from cxpm.lock, each with the command that fixes it.",
                "  cxpm doctor --json",
                "      The same as JSON, for scripts."})
public final class DoctorCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Option(names = "--strict", description = "Missing prerequisites fail too (exit 1), as drift does.")
    boolean strict;

    @Option(names = "--json", description = "Print {healthy, findings:[{code, plugin, problem, fix}], missingPrerequisites:[{code, plugin, problem, fix}]}: "
            + "findings is the drift; healthy is true when the exit code is 0.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ProjectContext ctx = ProjectContext.of(root.env);
        ProjectManifest project = ProjectManifest.read(ctx.projectDir());
        Doctor.Report report = Doctor.examine(project, Lockfile.readIfPresent(ctx.projectDir()), ctx.home(),
                root.env.vars(), root.env.cwd(), root.env.clock().instant());
        boolean healthy = report.drift().isEmpty() && (!strict || report.missingPrerequisites().isEmpty());
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("healthy", healthy);
            doc.put("findings", maps(report.drift()));
            doc.put("missingPrerequisites", maps(report.missingPrerequisites()));
            root.env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            return healthy ? ExitCodes.OK : ExitCodes.INVALID;
        }
        if (report.drift().isEmpty()) {
            root.env.out().println("No drift: the Codex home matches cxpm.lock.");
        }
        for (Doctor.Finding f : report.drift()) {
            root.env.out().println("- " + f.problem());
            root.env.out().println("  fix: " + f.fix());
        }
        if (!report.missingPrerequisites().isEmpty()) {
            root.env.out().println((strict ? "Missing prerequisites (an error with --strict):" : "Missing prerequisites (a warning; --strict makes it an error):"));
            for (Doctor.Finding f : report.missingPrerequisites()) {
                root.env.out().println("- " + f.problem());
                root.env.out().println("  fix: " + f.fix());
            }
        }
        return healthy ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private static List<Map<String, Object>> maps(List<Doctor.Finding> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Doctor.Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", f.code());
            m.put("plugin", f.plugin());
            m.put("problem", f.problem());
            m.put("fix", f.fix());
            out.add(m);
        }
        return out;
    }
}
