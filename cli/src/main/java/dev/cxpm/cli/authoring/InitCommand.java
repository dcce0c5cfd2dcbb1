package dev.cxpm.cli.authoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.init.InitReport;
import dev.cxpm.core.init.PluginInit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm init}: scaffold a new plugin, or adopt a project's scattered files into one. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create a Codex plugin in DIR (default: the current directory).",
                "With --from, adopt an existing project's .mcp.json, .app.json and skills/ (both skills/<n>/SKILL.md "
                        + "and flat skills/<n>.md) into it, drafting prerequisites from its MCP servers. "
                        + "The source is never modified; literal secrets are not copied."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm init demo",
                "      Create a valid plugin in the new directory demo.",
                "  cxpm init --from ../my-project",
                "      Make the current directory a plugin of that project's skills and servers."})
public final class InitCommand implements Runnable {
    @CommandLine.ParentCommand
    Main root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Where to create the plugin (created when missing).")
    String dir;

    @Option(names = "--name", paramLabel = "NAME", description = "Plugin name (default: DIR's name, made valid).")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "One-line description for the manifest.")
    String description;

    @Option(names = "--from", paramLabel = "SOURCE", description = "Adopt this project's .mcp.json, .app.json and skills/.")
    String from;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        Env env = root.env;
        Path target = dir == null ? env.cwd() : env.resolve(dir);
        PluginInit.Options options = new PluginInit.Options(Optional.ofNullable(name), Optional.ofNullable(description));
        InitReport report = from == null
                ? PluginInit.scaffold(target, options)
                : PluginInit.adopt(env.resolve(from), target, options);
        if (json) {
            env.out().println(toJson(report));
        } else {
            printHuman(env.out(), report);
        }
    }

    private static void printHuman(PrintWriter out, InitReport r) {
        if (r.from().isPresent()) {
            out.println("Adopted " + r.from().get() + " into plugin `" + r.name() + "` at " + r.root());
            out.println("Took:");
            for (InitReport.Taken t : r.taken()) {
                String arrow = t.from().equals(t.to()) ? t.to() : t.from() + " -> " + t.to();
                out.println("  " + arrow + t.note().map(n -> "  (" + n + ")").orElse(""));
            }
            if (!r.left().isEmpty()) {
                out.println("Left in the source (not part of the plugin):");
                r.left().forEach(l -> out.println("  " + l));
            }
            if (!r.prerequisiteCommands().isEmpty() || !r.prerequisiteEnv().isEmpty()) {
                out.println("Prerequisites drafted in .codex-plugin/plugin.json:");
                r.prerequisiteCommands().forEach((c, h) -> out.println("  command " + c + ": " + h));
                r.prerequisiteEnv().forEach((v, h) -> out.println("  env " + v + ": " + h));
            }
            for (InitReport.ScrubbedSecret s : r.scrubbed()) {
                out.println("Secret NOT copied: " + s.file() + " server `" + s.server() + "` env " + s.variable()
                        + " held a literal value; the plugin has ${" + s.variable() + "} instead");
            }
            r.notes().forEach(n -> out.println("Note: " + n));
        } else {
            out.println("Created plugin `" + r.name() + "` in " + r.root());
        }
        out.println("Wrote:");
        r.created().forEach(c -> out.println("  " + c));
        if (!r.kept().isEmpty()) {
            out.println("Kept as they were:");
            r.kept().forEach(k -> out.println("  " + k));
        }
        out.println("Next: cxpm validate " + r.root());
    }

    static String toJson(InitReport r) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        o.put("name", r.name());
        o.put("root", r.root().toString());
        o.put("manifest", r.root().resolve(".codex-plugin/plugin.json").toString());
        if (r.from().isPresent()) {
            o.put("from", r.from().get().toString());
        } else {
            o.putNull("from");
        }
        strings(o.putArray("created"), r.created());
        strings(o.putArray("kept"), r.kept());
        ArrayNode taken = o.putArray("taken");
        for (InitReport.Taken t : r.taken()) {
            ObjectNode n = taken.addObject().put("kind", t.what()).put("from", t.from()).put("to", t.to());
            if (t.note().isPresent()) {
                n.put("note", t.note().get());
            } else {
                n.putNull("note");
            }
        }
        strings(o.putArray("left"), r.left());
        ObjectNode prerequisites = o.putObject("prerequisites");
        map(prerequisites.putObject("commands"), r.prerequisiteCommands());
        map(prerequisites.putObject("env"), r.prerequisiteEnv());
        ArrayNode scrubbed = o.putArray("secretsNotCopied");
        r.scrubbed().forEach(s -> scrubbed.addObject().put("file", s.file()).put("server", s.server()).put("env", s.variable()));
        strings(o.putArray("notes"), r.notes());
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void strings(ArrayNode array, java.util.List<String> values) {
        values.forEach(array::add);
    }

    private static void map(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }
}
