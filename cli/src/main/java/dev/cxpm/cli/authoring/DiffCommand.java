package dev.cxpm.cli.authoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.surface.Surface;
import dev.cxpm.core.surface.SurfaceDiff;
import dev.cxpm.core.version.BumpLevel;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.semver4j.Semver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm diff}: what changed in a plugin's surface, and the SemVer bump that requires. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare two versions of a plugin (directories or packed .tgz files) and the SemVer bump required.",
                "Shows skills, MCP servers, apps and capabilities added, removed, renamed or changed, and the smallest "
                        + "bump they require (removal or rename = major, addition = minor, anything else = patch)."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm diff demo-1.0.0.tgz ./demo",
                "      What changed since the packed 1.0.0, and the bump it requires.",
                "  cxpm diff old/ new/ --json",
                "      The same for two directories, as JSON."})
public final class DiffCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(index = "0", paramLabel = "OLD", description = "The older plugin: a directory or a .tgz.")
    String oldPath;

    @Parameters(index = "1", paramLabel = "NEW", description = "The newer plugin: a directory or a .tgz.")
    String newPath;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Env env = root.env;
        java.nio.file.Path scratch = dev.cxpm.core.Scratch.under(dev.cxpm.core.sync.store.Store.resolve(env.vars(), env.cwd()).dir(), env.clock());
        Surface before = Surface.ofPath(env.resolve(oldPath), scratch);
        Surface after = Surface.ofPath(env.resolve(newPath), scratch);
        SurfaceDiff diff = SurfaceDiff.between(before, after);
        BumpLevel declared = declaredBump(before.version(), after.version());
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode o = om.createObjectNode();
            o.putObject("old").put("name", before.name()).put("version", before.version());
            o.putObject("new").put("name", after.name()).put("version", after.version());
            ArrayNode changes = o.putArray("changes");
            for (SurfaceDiff.Change c : diff.changes()) {
                changes.addObject().put("component", lower(c.component())).put("change", lower(c.kind()))
                        .put("name", c.name()).put("detail", c.detail()).put("bump", c.level().word());
            }
            o.put("contentChanged", diff.contentChanged());
            o.put("requiredBump", diff.required().word());
            if (declared != null) {
                o.put("declaredBump", declared.word());
                o.put("sufficient", declared.compareTo(diff.required()) >= 0);
            } else {
                o.putNull("declaredBump");
                o.putNull("sufficient");
            }
            env.out().println(om.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return ExitCodes.OK;
        }
        env.out().println(label(before) + " -> " + label(after));
        if (diff.changes().isEmpty()) {
            env.out().println(diff.contentChanged() ? "  no surface change (other files changed)" : "  identical content");
        }
        for (SurfaceDiff.Change c : diff.changes()) {
            String mark = switch (c.kind()) {
                case ADDED -> "+";
                case REMOVED -> "-";
                case RENAMED, CHANGED -> "~";
            };
            env.out().println("  " + mark + " " + lower(c.component()).replace('_', ' ') + " " + c.name() + ": " + c.detail()
                    + "  [" + c.level().word() + "]");
        }
        env.out().println("required bump: " + diff.required().word());
        if (declared != null && declared.compareTo(diff.required()) < 0) {
            env.out().println("warning: " + before.version() + " -> " + after.version() + " is a " + declared.word()
                    + " bump; these changes need " + diff.required().word());
        }
        return ExitCodes.OK;
    }

    /** The bump the two versions declare, or null when either is not SemVer. */
    static BumpLevel declaredBump(String from, String to) {
        Semver a = from == null ? null : Semver.parse(from);
        Semver b = to == null ? null : Semver.parse(to);
        return a == null || b == null ? null : BumpLevel.between(a, b);
    }

    private static String label(Surface s) {
        return s.name() + "@" + (s.version() == null ? "(no version)" : s.version());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
