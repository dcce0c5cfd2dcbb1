package dev.cxpm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

/** {@code cxpm doctor}: drift between cxpm.lock and the Codex home, each with the command that fixes it. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Report drift between cxpm.lock and the Codex home (plugins missing or edited by hand, enabled or "
                + "disabled behind cxpm's back, missing prerequisites, stale marketplace clones) and the command that fixes each.",
                "Exit 0 when all is well, 1 when something needs fixing."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm doctor",
                "      Show what differs from cxpm.lock, each with the command that fixes it.",
                "  cxpm doctor --json",
                "      The same as JSON, for scripts."})
public final class DoctorCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Option(names = "--json", description = "Print {healthy, findings:[{code, plugin, problem, fix}]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ProjectContext ctx = ProjectContext.of(root.env);
        ProjectManifest project = ProjectManifest.read(ctx.projectDir());
        List<Doctor.Finding> findings = Doctor.examine(project, Lockfile.readIfPresent(ctx.projectDir()), ctx.home(),
                root.env.vars(), root.env.cwd(), root.env.clock().instant());
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Doctor.Finding f : findings) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("code", f.code());
                m.put("plugin", f.plugin());
                m.put("problem", f.problem());
                m.put("fix", f.fix());
                out.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("healthy", findings.isEmpty());
            doc.put("findings", out);
            root.env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else if (findings.isEmpty()) {
            root.env.out().println("No drift: the Codex home matches cxpm.lock.");
        } else {
            for (Doctor.Finding f : findings) {
                root.env.out().println("- " + f.problem());
                root.env.out().println("  fix: " + f.fix());
            }
        }
        return findings.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID;
    }
}
