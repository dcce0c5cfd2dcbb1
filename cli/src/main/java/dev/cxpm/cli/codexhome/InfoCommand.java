package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.PlainText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.parts.App;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.parts.PluginInterface;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.format.parts.Skill;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.install.Prerequisite;
import dev.cxpm.core.marketplace.Catalog;
import dev.cxpm.core.marketplace.RegistryMarketplaces;
import dev.cxpm.core.registry.RegistryIndex;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm info PLUGIN[@MARKETPLACE]}: everything known about a plugin before (or after) installing it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a plugin's versions, components (skills, MCP servers, apps), prerequisites, interface and source.",
        footerHeading = Examples.HEADING,
        footer = {"  cxpm info github-triage",
                "      Show its versions, skills, MCP servers, apps and prerequisites.",
                "  cxpm info github-triage@team --json",
                "      The same for the one in the marketplace team, as JSON."})
public final class InfoCommand implements Runnable {
    @ParentCommand
    Main root;

    @Parameters(paramLabel = "PLUGIN[@MARKETPLACE]")
    String plugin;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public void run() {
        CodexContext ctx = CodexContext.of(root.env);
        int at = plugin.lastIndexOf('@');
        String name = at > 0 ? plugin.substring(0, at) : plugin;
        Optional<String> mk = at > 0 ? Optional.of(plugin.substring(at + 1)) : Optional.empty();
        Catalog catalog = Catalog.of(ctx.marketplaces());
        List<Catalog.Item> found = catalog.named(name, mk);
        if (found.isEmpty()) {
            throw new UserError(UserError.Kind.NOT_FOUND, "plugin `" + name + "` was not found in "
                    + mk.map(m -> "marketplace `" + m + "`").orElse("any configured marketplace"), "cxpm search " + name);
        }
        List<Installer.InstalledPlugin> installed = ctx.installer().list();
        Env env = ctx.env();
        if (json) {
            ObjectNode o = JsonOutput.object();
            ArrayNode arr = o.putArray("plugins");
            for (Catalog.Item i : found) {
                arr.add(toJson(i, installed(installed, i), ctx));
            }
            env.out().println(JsonOutput.pretty(o));
            return;
        }
        boolean first = true;
        for (Catalog.Item i : found) {
            if (!first) {
                env.out().println();
            }
            first = false;
            print(env, i, installed(installed, i), ctx);
        }
    }

    private static Optional<Installer.InstalledPlugin> installed(List<Installer.InstalledPlugin> all, Catalog.Item i) {
        return all.stream().filter(p -> p.id().toString().equals(i.id())).findFirst();
    }

    /** The plugin's content: from the marketplace when local, else from the installed copy. */
    private static Optional<Plugin> content(Catalog.Item i, Optional<Installer.InstalledPlugin> inst) {
        return i.plugin().or(() -> inst.flatMap(p -> {
            try {
                return Optional.of(Plugin.load(p.path()));
            } catch (UserError e) {
                return Optional.empty();
            }
        }));
    }

    private static String source(PluginSource s) {
        return switch (s) {
            case PluginSource.Local l -> "local " + l.path();
            case PluginSource.Git g -> "git " + g.url() + g.ref().map(r -> " @" + r).orElse("");
            case PluginSource.GitSubdir g -> "git " + g.url() + " path " + g.path() + g.ref().map(r -> " @" + r).orElse("");
            case PluginSource.Npm n -> "npm " + n.packageName() + n.version().map(v -> "@" + v).orElse("");
        };
    }

    private static void print(Env env, Catalog.Item i, Optional<Installer.InstalledPlugin> inst, CodexContext ctx) {
        PrintWriter out = env.out();
        Optional<Plugin> p = content(i, inst);
        out.println(i.id() + (i.version().map(v -> " " + v).orElse(" (no version: installs as `local`)")));
        i.description().ifPresent(d -> out.println("  " + SearchCommand.oneLine(d)));
        out.println("  marketplace: " + i.marketplace().name() + " (" + i.marketplace().sourceType() + " "
                + i.marketplace().source() + ", local copy "
                + i.marketplace().fetchedAt().map(f -> MarketplaceCommand.age(Duration.between(f, env.clock().instant()))).orElse("of unknown age") + ")");
        out.println("  source: " + source(i.entry().source()));
        out.println("  policy: install " + i.entry().installPolicy() + ", auth " + i.entry().authPolicy());
        Optional<RegistryMarketplaces.Indexed> idx = registryIndex(ctx, i);
        if (idx.isPresent()) {
            RegistryMarketplaces.Indexed x = idx.get();
            out.println("  versions (" + x.index().releases().size() + ", index " + (x.offline() ? "cached " : "fetched ")
                    + MarketplaceCommand.age(Duration.between(x.fetchedAt(), env.clock().instant()))
                    + (x.offline() ? ", the registry could not be reached" : "") + "):");
            for (RegistryIndex.Release r : x.index().releases()) {
                out.println("    " + r.version() + (r.yanked() ? "  [yanked]" : "") + r.deprecated().map(d -> "  [deprecated: " + d + "]").orElse(""));
                r.changes().forEach(c -> out.println("      " + c)); // surface changes since the previous release
                r.source().ifPresent(src -> out.println("      source: " + src.repository() + " at " + src.commit()));
            }
        } else {
            out.println("  versions available: " + i.version().orElse("local"));
        }
        out.println("  installed: " + inst.map(x -> x.version() + (x.enabled() ? ", enabled" : ", disabled")).orElse("no"));
        if (p.isEmpty()) {
            out.println("  components: " + (i.localDir().isPresent()
                    ? "not known: its files in the marketplace cannot be read (`cxpm validate "
                            + i.localDir().get() + "` says why)"
                    : "not known until installed (the plugin is fetched from its source at install)"));
            return;
        }
        Plugin plugin = p.get();
        PluginInterface itf = plugin.pluginInterface();
        itf.displayName().ifPresent(v -> out.println("  display name: " + v));
        itf.developerName().ifPresent(v -> out.println("  developer: " + v));
        itf.category().ifPresent(v -> out.println("  category: " + v));
        if (!itf.capabilities().isEmpty()) {
            out.println("  capabilities: " + String.join(", ", itf.capabilities()));
        }
        if (!plugin.keywords().isEmpty()) {
            out.println("  keywords: " + String.join(", ", plugin.keywords()));
        }
        List<Skill> skills = plugin.skills();
        out.println("  skills (" + skills.size() + "):");
        skills.forEach(s -> out.println("    " + s.id() + s.description().map(d -> " - " + SearchCommand.oneLine(d)).orElse("")
                + s.whyCodexSkips().map(w -> " (Codex does not load it: " + PlainText.printable(SearchCommand.oneLine(w)) + ")").orElse("")));
        out.println("  MCP servers (" + plugin.mcpServers().size() + "):");
        plugin.mcpServers().values().forEach(s -> out.println("    " + s.name() + ": " + mcp(s)));
        out.println("  apps (" + plugin.apps().size() + "):");
        plugin.apps().values().forEach(a -> out.println("    " + a.key() + a.id().map(x -> " (" + x + ")").orElse("")));
        List<Prerequisite> prereqs = Prerequisite.of(plugin);
        List<Prerequisite> missing = Prerequisite.missing(plugin, env.vars(), env.cwd());
        out.println("  prerequisites (" + prereqs.size() + "):");
        for (Prerequisite q : prereqs) {
            out.println("    " + (q.kind() == Prerequisite.Kind.COMMAND ? "command " : "env ") + q.name()
                    + (missing.contains(q) ? "  [missing]" : "  [ok]") + (q.note().isBlank() ? "" : " - " + q.note()));
        }
    }

    /** For a registry marketplace, the plugin's index document (fresh, else cached); empty when neither is to be had. */
    private static Optional<RegistryMarketplaces.Indexed> registryIndex(CodexContext ctx, Catalog.Item i) {
        if (i.marketplace().registry().isEmpty()) {
            return Optional.empty();
        }
        RegistryMarketplaces regs = ctx.marketplaces().registries();
        try {
            return Optional.of(regs.index(i.marketplace().name(), i.marketplace().registry().get(), i.entry().name()));
        } catch (UserError e) {
            if (e.kind() == UserError.Kind.INTEGRITY) {
                throw e; // a refused answer (signature, replay) is said, not hidden behind the last good copy
            }
            return regs.cached(i.marketplace().name(), i.entry().name());
        }
    }

    private static String mcp(McpServer s) {
        if (s.command().isPresent()) {
            return s.command().get() + (s.args().isEmpty() ? "" : " " + String.join(" ", s.args()));
        }
        return s.url().map(u -> "url " + u).orElse("(no command or url)");
    }

    private static ObjectNode toJson(Catalog.Item i, Optional<Installer.InstalledPlugin> inst, CodexContext ctx) {
        ObjectNode n = JsonOutput.object();
        n.put("pluginId", i.id());
        n.put("name", i.entry().name());
        n.put("marketplaceName", i.marketplace().name());
        SearchCommand.putOpt(n, "version", i.version().orElse(null));
        ArrayNode versions = n.putArray("versionsAvailable");
        Optional<RegistryMarketplaces.Indexed> idx = registryIndex(ctx, i);
        if (idx.isPresent()) {
            idx.get().index().available().forEach(versions::add);
            ArrayNode all = n.putArray("versions");
            for (RegistryIndex.Release r : idx.get().index().releases()) {
                ObjectNode v = all.addObject();
                v.put("version", r.version().text());
                v.put("integrity", r.integrity().toString());
                v.put("yanked", r.yanked());
                SearchCommand.putOpt(v, "deprecated", r.deprecated().orElse(null));
                r.changes().forEach(v.putArray("changes")::add);
                SearchCommand.putOpt(v, "publisher", r.publisher().orElse(null));
                if (r.source().isPresent()) {
                    v.putObject("source").put("repository", r.source().get().repository()).put("commit", r.source().get().commit());
                } else {
                    v.putNull("source");
                }
            }
            ObjectNode ix = n.putObject("index");
            ix.put("fetchedAt", idx.get().fetchedAt().toString());
            ix.put("offline", idx.get().offline());
            SearchCommand.putOpt(ix, "registryKey", idx.get().keyId().orElse(null));
        } else {
            versions.add(i.version().orElse("local"));
        }
        SearchCommand.putOpt(n, "description", i.description().orElse(null));
        n.put("source", source(i.entry().source()));
        n.put("installPolicy", i.entry().installPolicy().name());
        n.put("authPolicy", i.entry().authPolicy().name());
        ObjectNode mk = n.putObject("marketplace");
        mk.put("sourceType", i.marketplace().sourceType());
        mk.put("source", i.marketplace().source());
        i.marketplace().fetchedAt().ifPresent(t -> mk.put("fetchedAt", t.toString()));
        if (inst.isPresent()) {
            ObjectNode in = n.putObject("installed");
            in.put("version", inst.get().version());
            in.put("enabled", inst.get().enabled());
            in.put("path", inst.get().path().toString());
        } else {
            n.putNull("installed");
        }
        Optional<Plugin> p = content(i, inst);
        if (p.isEmpty()) {
            n.putNull("components");
            return n;
        }
        Plugin plugin = p.get();
        PluginInterface itf = plugin.pluginInterface();
        ObjectNode in = n.putObject("interface");
        SearchCommand.putOpt(in, "displayName", itf.displayName().orElse(null));
        SearchCommand.putOpt(in, "shortDescription", itf.shortDescription().orElse(null));
        SearchCommand.putOpt(in, "developerName", itf.developerName().orElse(null));
        SearchCommand.putOpt(in, "category", itf.category().orElse(null));
        SearchCommand.putOpt(in, "brandColor", itf.brandColor().orElse(null));
        ArrayNode caps = in.putArray("capabilities");
        itf.capabilities().forEach(caps::add);
        ObjectNode comp = n.putObject("components");
        ArrayNode skills = comp.putArray("skills");
        for (Skill s : plugin.skills()) {
            ObjectNode o = skills.addObject();
            o.put("id", s.id());
            SearchCommand.putOpt(o, "description", s.description().orElse(null));
            s.whyCodexSkips().ifPresent(w -> o.put("codexSkips", w)); // only for a skill Codex does not load
        }
        ArrayNode mcps = comp.putArray("mcpServers");
        for (McpServer s : plugin.mcpServers().values()) {
            ObjectNode o = mcps.addObject();
            o.put("name", s.name());
            SearchCommand.putOpt(o, "command", s.command().orElse(null));
            ArrayNode args = o.putArray("args");
            s.args().forEach(args::add);
            SearchCommand.putOpt(o, "url", s.url().orElse(null));
        }
        ArrayNode apps = comp.putArray("apps");
        for (App a : plugin.apps().values()) {
            ObjectNode o = apps.addObject();
            o.put("key", a.key());
            SearchCommand.putOpt(o, "id", a.id().orElse(null));
        }
        ArrayNode prereqs = n.putArray("prerequisites");
        List<Prerequisite> missing = Prerequisite.missing(plugin, ctx.env().vars(), ctx.env().cwd());
        for (Prerequisite q : Prerequisite.of(plugin)) {
            ObjectNode o = prereqs.addObject();
            o.put("kind", q.kind().name().toLowerCase(java.util.Locale.ROOT));
            o.put("name", q.name());
            o.put("hint", q.note());
            o.put("missing", missing.contains(q));
        }
        return n;
    }
}
