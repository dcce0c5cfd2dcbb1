package dev.cxpm.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.init.GeneratedDescription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a version's page shows, read from its archive once at publish and stored with the version, so a page
 * request reads one row and never opens an archive. Every text is bounded ({@link #MAX_FIELD} characters, the
 * README {@link PageExtract#MAX_README_BYTES}), every list too; the README is Markdown text, rendered (safely) when
 * the page is served. {@code description} is what the author wrote: init's generated "N skills" text is dropped.
 */
public record PageData(String displayName, String description, String category, String homepage, String repository,
        String license, String author, List<String> keywords, String brandColor, Map<String, String> commands,
        Map<String, String> env, List<PublishedPlugin.SkillInfo> skills, Map<String, String> mcpServers, List<String> apps,
        Map<String, String> dependencies, String readme, boolean readmeShortened) {

    static final int MAX_FIELD = 2048;
    static final int MAX_ITEMS = 200;
    /** A page stored by a newer registry (more fields) still reads here, during a rolling upgrade of several servers. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The page fields of a checked plugin's manifest, and its README as extracted. */
    static PageData of(PublishedPlugin p, PageExtract.Readme readme) {
        JsonNode m = p.manifest();
        JsonNode ui = m.path("interface");
        JsonNode pre = m.path("prerequisites");
        List<PublishedPlugin.SkillInfo> skills = p.skills().stream().limit(MAX_ITEMS)
                .map(s -> new PublishedPlugin.SkillInfo(cut(s.id()), cut(s.name()), cut(s.description()))).toList();
        return new PageData(cut(p.displayName()), cut(GeneratedDescription.authored(p.description())), cut(p.category()),
                cut(first(text(ui, "websiteURL"), text(ui, "websiteUrl"), text(m, "homepage"))),
                cut(first(text(m, "repository"), text(m.path("repository"), "url"))), cut(text(m, "license")),
                cut(first(text(m, "author"), text(m.path("author"), "name"), text(ui, "developerName"))),
                p.keywords().stream().limit(MAX_ITEMS).map(PageData::cut).toList(), cut(p.brandColor()),
                texts(pre.path("commands")), texts(pre.path("env")), skills, bounded(p.mcpServers()),
                p.apps().stream().limit(MAX_ITEMS).map(PageData::cut).toList(), bounded(p.dependencies()),
                readme.text(), readme.shortened());
    }

    public String toJson() {
        return JSON.valueToTree(this).toString();
    }

    public static PageData fromJson(String json) {
        try {
            return JSON.readValue(json, PageData.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        return PublishedPlugin.text(n, field);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Map<String, String> texts(JsonNode o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o.isObject()) {
            o.fields().forEachRemaining(e -> {
                if (out.size() < MAX_ITEMS) {
                    out.put(cut(e.getKey()), e.getValue().isTextual() ? cut(e.getValue().asText()) : "");
                }
            });
        }
        return out;
    }

    private static Map<String, String> bounded(Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        new ArrayList<>(in.entrySet()).stream().limit(MAX_ITEMS).forEach(e -> out.put(cut(e.getKey()), cut(e.getValue())));
        return out;
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD) + "…";
    }
}
