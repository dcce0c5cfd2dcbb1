package dev.cxpm.cli.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.Requirement;
import dev.cxpm.core.resolve.Resolution;
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

/** {@code cxpm why PLUGIN[@MARKETPLACE]}: which cxpm.toml declaration or which locked plugin's dependency brought it in. */
@Command(name = "why", mixinStandardHelpOptions = true,
        description = "Show which cxpm.toml declaration or plugin dependency brought a plugin in.",
        footerHeading = Examples.HEADING,
        footer = {"  cxpm why github-triage",
                "      Show the cxpm.toml line or the plugin that brought it in.",
                "  cxpm why github-triage@team --json",
                "      The same, for the id cxpm list prints, as JSON."})
public final class WhyCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(paramLabel = "PLUGIN[@MARKETPLACE]", description = "Plugin name, or the id `cxpm list` prints.")
    String argument;

    String plugin;

    @Option(names = "--json", description = "Print one JSON object: {plugin, version, locked, chains:[[{requirer, plugin, range}]]}; a chain "
            + "through a plugin an earlier chain reached on a path of more than 3 links starts at that plugin.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Env env = root.env;
        Path dir = ProjectManifest.findProjectDir(env.cwd());
        ProjectManifest project = ProjectManifest.read(dir);
        Optional<Lockfile> lock = Lockfile.readIfPresent(dir);
        int at = argument.indexOf('@');
        plugin = at < 0 ? argument : argument.substring(0, at);
        Optional<LockedPlugin> locked = lock.map(l -> l.plugins().get(plugin));
        if (at >= 0) {
            MarketplaceName asked = MarketplaceName.of(argument.substring(at + 1));
            Optional<String> from = locked.map(LockedPlugin::marketplace)
                    .or(() -> Optional.ofNullable(project.plugins().get(plugin)).flatMap(PluginRequirement::marketplace));
            if (from.isPresent() && !from.get().equals(asked.text())) {
                throw new UserError(UserError.Kind.NOT_FOUND,
                        "`" + plugin + "` is " + (locked.isPresent() ? "locked" : "declared") + " from marketplace `" + from.get() + "`, not `" + asked + "`",
                        "run `cxpm why " + plugin + "@" + from.get() + "` or `cxpm why " + plugin + "`");
            }
        }
        List<List<Requirement>> chains;
        if (lock.isPresent()) {
            Resolution r = lock.get().asResolution(project.ranges());
            chains = r.why(plugin);
        } else {
            chains = new ArrayList<>();
            PluginRequirement req = project.plugins().get(plugin);
            if (req != null) {
                chains.add(List.of(Requirement.fromProject(plugin, req.range())));
            }
        }
        if (chains.isEmpty()) {
            String hint = locked.isPresent()
                    ? "it is locked but nothing in cxpm.toml needs it any more: `cxpm sync` removes it"
                    : "see what the project uses in " + project.file() + (lock.isEmpty() ? "" : " and cxpm.lock");
            throw new UserError(UserError.Kind.NOT_FOUND, "`" + plugin + "` is not needed by this project", hint);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("plugin", plugin);
            out.put("version", locked.map(p -> p.version().text()).orElse(null));
            out.put("locked", locked.isPresent());
            List<List<Map<String, Object>>> jc = new ArrayList<>();
            for (List<Requirement> chain : chains) {
                List<Map<String, Object>> links = new ArrayList<>();
                for (Requirement r : chain) {
                    Map<String, Object> link = new LinkedHashMap<>();
                    link.put("requirer", r.requirer());
                    link.put("plugin", r.plugin());
                    link.put("range", r.range().text());
                    if (r.by().isEmpty()) {
                        link.put("line", project.plugins().get(r.plugin()).line());
                    }
                    links.add(link);
                }
                jc.add(links);
            }
            out.put("chains", jc);
            env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return ExitCodes.OK;
        }
        String head = locked.map(LockedPlugin::id).orElse(plugin);
        env.out().println(head + (locked.isPresent() ? "" : " (not locked yet: run `cxpm sync`)") + " is needed by:");
        for (List<Requirement> chain : chains) {
            List<String> links = new ArrayList<>();
            for (Requirement r : chain) {
                String who = r.by().isEmpty() ? "cxpm.toml:" + project.plugins().get(r.plugin()).line() : r.requirer();
                links.add(who + " needs " + r.plugin() + " " + r.range());
            }
            // a chain through a plugin an earlier chain reached on a long path starts there (Resolution.why)
            env.out().println("  " + (chain.getFirst().by().isPresent() ? "... -> " : "") + String.join(" -> ", links));
        }
        return ExitCodes.OK;
    }
}
