package dev.cxpm.core.audit;

import dev.cxpm.core.Progress;
import dev.cxpm.core.audit.scan.FileScan;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.marketplace.RegistryMarketplaces;
import dev.cxpm.core.sync.store.Store;
import java.util.Comparator;
import java.util.List;

/**
 * {@code cxpm audit}: runs every check over every installed plugin and collects the findings, sorted by plugin,
 * file and line so the report is stable. Each check is linear in what it reads; together they read a plugin's
 * files a bounded number of times, so the audit is linear in the installed bytes.
 */
public final class Audit {

    /** Everything found; {@link #fails} says whether it fails at a {@code --fail-on} severity. */
    public record Report(List<AuditedPlugin> plugins, List<Finding> findings, List<Note> notes) {
        public Report {
            plugins = List.copyOf(plugins);
            findings = List.copyOf(findings);
            notes = List.copyOf(notes);
        }

        public boolean fails(Severity failOn) {
            return findings.stream().anyMatch(f -> f.severity().atLeast(failOn));
        }
    }

    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::plugin)
            .thenComparing(f -> f.file() == null ? "" : f.file())
            .thenComparingInt(Finding::line)
            .thenComparing(Finding::code);

    private Audit() {
    }

    /**
     * The checks cxpm has: file contents (secrets, hidden Unicode), MCP servers (unpinned runners, plain HTTP), files
     * changed since install against what was recorded, and what the plugins' registries say (yanked, deprecated, advisories).
     */
    public static List<AuditCheck> standardChecks(CodexHome home, Store store, List<ChangedFiles.Recorded> recorded) {
        return List.of(new FileScan(), new McpServers(), new ChangedFiles(recorded, store), new RegistryStatus(new RegistryMarketplaces(home)));
    }

    public static Report run(List<AuditedPlugin> plugins, List<AuditCheck> checks, Progress progress) {
        Findings out = new Findings();
        try (Progress.Step step = progress.begin("auditing")) {
            int n = 0;
            for (AuditedPlugin p : plugins) {
                step.item(++n, plugins.size(), "auditing " + p.id() + " " + p.version());
                for (AuditCheck c : checks) {
                    c.check(p, out);
                }
            }
        }
        List<Finding> sorted = out.findings().stream().sorted(ORDER).toList();
        return new Report(plugins, sorted, out.notes());
    }
}
