package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Table;
import dev.cxpm.core.marketplace.Catalog;
import dev.cxpm.core.UserError;
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
                "      Plugins matching both words, as JSON.",
                "  cxpm search tool --limit 200",
                "      The 200 best matches (the 50 best unless told)."})
public final class SearchCommand implements Runnable {
    @ParentCommand
    Main root;

    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "Words that must all match.")
    List<String> query;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    /** The page a search shows unless told: what it holds while it reads every marketplace, whatever matched. */
    static final int DEFAULT_LIMIT = 50;

    @Option(names = "--limit", paramLabel = "N",
            description = "Show the N best matches (default: " + DEFAULT_LIMIT + ", at most " + Catalog.MAX_LIMIT + ").")
    int limit = DEFAULT_LIMIT;

    @Override
    public void run() {
        if (limit < 1 || limit > Catalog.MAX_LIMIT) {
            throw new UserError(UserError.Kind.USAGE, "--limit must be from 1 to " + Catalog.MAX_LIMIT + ", not " + limit,
                    "e.g. cxpm search review --limit 20");
        }
        CodexContext ctx = CodexContext.of(root.env);
        Catalog.Found found = Catalog.of(ctx.marketplaces()).search(String.join(" ", query), limit);
        Env env = ctx.env();
        Instant now = env.clock().instant();
        if (json) {
            JsonOutput.print(env.out(), g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("results");
                for (Catalog.Hit h : found.hits()) {
                    Catalog.Summary i = h.item();
                    g.writeStartObject();
                    g.writeStringField("pluginId", i.id());
                    g.writeStringField("name", i.name());
                    g.writeStringField("marketplaceName", i.marketplace());
                    writeOpt(g, "version", i.version());
                    writeOpt(g, "displayName", i.displayName());
                    writeOpt(g, "description", i.description());
                    writeOpt(g, "category", i.category());
                    g.writeNumberField("score", h.score());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeNumberField("matched", found.matched());
                g.writeArrayFieldStart("marketplaces");
                for (Catalog.Searched c : found.marketplaces()) {
                    g.writeStartObject();
                    g.writeStringField("name", c.name());
                    if (c.fetchedAt().isPresent()) {
                        g.writeStringField("fetchedAt", c.fetchedAt().get().toString());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
            return;
        }
        if (found.marketplaces().isEmpty()) {
            env.out().println("No marketplaces configured; add one with: cxpm marketplace add SOURCE");
            return;
        }
        if (found.hits().isEmpty()) {
            env.out().println("No plugin matches '" + String.join(" ", query) + "'.");
        } else {
            // rows made from the hits as they print, not held beside them
            List<Catalog.Hit> hits = found.hits();
            Table.print(env.out(), new java.util.AbstractList<String[]>() {
                @Override
                public String[] get(int n) {
                    if (n == 0) {
                        return new String[] {"PLUGIN", "VERSION", "DESCRIPTION"};
                    }
                    Catalog.Summary i = hits.get(n - 1).item();
                    return new String[] {i.id(), i.version().orElse("-"), oneLine(i.description().orElse(""))};
                }

                @Override
                public int size() {
                    return hits.size() + 1;
                }
            });
            if (found.matched() > found.hits().size()) {
                env.out().println("(" + found.hits().size() + " of " + found.matched() + " matching plugins shown; "
                        + (found.matched() <= Catalog.MAX_LIMIT ? "--limit " + found.matched() + " shows them all"
                                : "--limit " + Catalog.MAX_LIMIT + " shows the most it can; more words narrow the search") + ")");
            }
        }
        for (Catalog.Searched c : found.marketplaces()) {
            if (c.git()) {
                env.out().println("(marketplace " + c.name() + ": local copy updated "
                        + c.fetchedAt().map(f -> MarketplaceCommand.age(Duration.between(f, now))).orElse("at an unknown time")
                        + "; cxpm marketplace update refreshes it)");
            }
        }
    }

    private static void writeOpt(com.fasterxml.jackson.core.JsonGenerator g, String key, java.util.Optional<String> value) throws java.io.IOException {
        if (value.isPresent()) {
            g.writeStringField(key, value.get());
        } else {
            g.writeNullField(key);
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
