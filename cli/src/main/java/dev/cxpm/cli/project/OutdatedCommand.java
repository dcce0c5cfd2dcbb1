package dev.cxpm.cli.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.output.Table;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.ReleaseAge;
import dev.cxpm.core.sync.Outdated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm outdated}: current, wanted (newest in range) and latest version of each plugin. */
@Command(name = "outdated", mixinStandardHelpOptions = true,
        description = {"Show each plugin's locked version, the newest its ranges allow (wanted) and the newest available (latest).",
                "Versions younger than min-release-age are shown as held back, with when they may be picked.",
                "Exits 1 when a plugin is outdated, 0 when all are up to date (as npm outdated)."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm outdated",
                "      Show locked, wanted and latest versions; exit 1 if any is outdated.",
                "  cxpm outdated --json",
                "      The same as JSON, for scripts."})
public final class OutdatedCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Option(names = "--json", description = "Print {plugins:[{plugin, marketplace, current, wanted, latest, direct, outdated, heldBack:[{version, until}]}]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ProjectContext ctx = ProjectContext.of(root.env);
        ProjectManifest project = ProjectManifest.read(ctx.projectDir());
        dev.cxpm.core.sync.ProjectSync sync = ctx.sync();
        List<Outdated.Row> rows;
        List<dev.cxpm.core.sync.ProjectIndex.Unreachable> unreachable;
        try {
            dev.cxpm.core.sync.ProjectIndex index = sync.index(project);
            rows = Outdated.of(project, Lockfile.readIfPresent(ctx.projectDir()), index, ctx.releaseAge(project));
            unreachable = index.unreachable();
        } finally {
            sync.close();
        }
        int exit = rows.stream().anyMatch(Outdated.Row::outdated) ? ExitCodes.OUTDATED : ExitCodes.OK;
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Outdated.Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("plugin", r.plugin());
                m.put("marketplace", r.marketplace().orElse(null));
                m.put("current", r.current().orElse(null));
                m.put("wanted", r.wanted().orElse(null));
                m.put("latest", r.latest().orElse(null));
                m.put("direct", r.direct());
                m.put("outdated", r.outdated());
                List<Map<String, Object>> held = new ArrayList<>();
                for (Outdated.HeldBack h : r.heldBack()) {
                    Map<String, Object> hm = new LinkedHashMap<>();
                    hm.put("version", h.version());
                    hm.put("until", ReleaseAge.shown(h.until()));
                    held.add(hm);
                }
                m.put("heldBack", held);
                out.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("plugins", out);
            doc.put("warnings", SyncReport.unreachableJson(root.env, unreachable));
            root.env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            return exit;
        }
        SyncReport.printUnreachable(root.env, unreachable);
        boolean anyHeld = rows.stream().anyMatch(r -> !r.heldBack().isEmpty());
        String[] header = {"PLUGIN", "CURRENT", "WANTED", "LATEST", "MARKETPLACE", "HELD BACK"};
        int columns = anyHeld ? 6 : 5;
        Table table = new Table(java.util.Arrays.copyOf(header, columns));
        boolean any = false;
        for (Outdated.Row r : rows) {
            if (r.outdated() || !r.heldBack().isEmpty()) {
                any = true;
                String[] row = {r.plugin() + (r.direct() ? "" : " (dependency)"), r.current().orElse("-"),
                        r.wanted().orElse("-"), r.latest().orElse("-"), r.marketplace().orElse("-"),
                        r.heldBack().stream().map(h -> h.version() + " until " + ReleaseAge.shown(h.until()))
                                .collect(java.util.stream.Collectors.joining(", "))};
                table.row(java.util.Arrays.copyOf(row, columns));
            }
        }
        if (!any) {
            root.env.out().println("All " + rows.size() + " plugin(s) are up to date.");
            return ExitCodes.OK;
        }
        table.print(root.env.out());
        return exit;
    }
}
