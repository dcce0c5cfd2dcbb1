package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Table;
import dev.cxpm.core.marketplace.Catalog;
import dev.cxpm.core.marketplace.Marketplaces;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm search QUERY}: ranked matches across every configured marketplace, from local copies. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search the plugins of all configured marketplaces (works offline: reads the local copies).",
                "Ranked by name, display name, keywords, capabilities, category and description."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm search review",
                "      Find plugins about review in every configured marketplace.",
                "  cxpm search github triage --json",
                "      Plugins matching both words, as JSON."})
public final class SearchCommand implements Runnable {
    @ParentCommand
    Main root;

    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "Words that must all match.")
    List<String> query;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public void run() {
        CodexContext ctx = CodexContext.of(root.env);
        Catalog catalog = Catalog.of(ctx.marketplaces());
        List<Catalog.Hit> hits = catalog.search(String.join(" ", query));
        Env env = ctx.env();
        Instant now = env.clock().instant();
        if (json) {
            ObjectNode o = JsonOutput.object();
            ArrayNode arr = o.putArray("results");
            for (Catalog.Hit h : hits) {
                Catalog.Summary i = h.item();
                ObjectNode n = arr.addObject();
                n.put("pluginId", i.id());
                n.put("name", i.name());
                n.put("marketplaceName", i.marketplace().name());
                putOpt(n, "version", i.version().orElse(null));
                putOpt(n, "displayName", i.displayName().orElse(null));
                putOpt(n, "description", i.description().orElse(null));
                putOpt(n, "category", i.category().orElse(null));
                n.put("score", h.score());
            }
            ArrayNode ms = o.putArray("marketplaces");
            for (Marketplaces.Configured c : catalog.marketplaces()) {
                ObjectNode m = ms.addObject();
                m.put("name", c.name());
                c.fetchedAt().ifPresent(t -> m.put("fetchedAt", t.toString()));
            }
            env.out().println(JsonOutput.pretty(o));
            return;
        }
        if (catalog.marketplaces().isEmpty()) {
            env.out().println("No marketplaces configured; add one with: cxpm marketplace add SOURCE");
            return;
        }
        if (hits.isEmpty()) {
            env.out().println("No plugin matches '" + String.join(" ", query) + "'.");
        } else {
            Table t = new Table("PLUGIN", "VERSION", "DESCRIPTION");
            for (Catalog.Hit h : hits) {
                Catalog.Summary i = h.item();
                t.row(i.id(), i.version().orElse("-"), oneLine(i.description().orElse("")));
            }
            t.print(env.out());
        }
        for (Marketplaces.Configured c : catalog.marketplaces()) {
            if (c.entry().isGit()) {
                env.out().println("(marketplace " + c.name() + ": local copy updated "
                        + c.fetchedAt().map(f -> MarketplaceCommand.age(Duration.between(f, now))).orElse("at an unknown time")
                        + "; cxpm marketplace update refreshes it)");
            }
        }
    }

    static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }

    static void putOpt(ObjectNode n, String key, String value) {
        if (value == null) {
            n.putNull(key);
        } else {
            n.put(key, value);
        }
    }
}
