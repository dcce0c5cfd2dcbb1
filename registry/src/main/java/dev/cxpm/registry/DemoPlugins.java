package dev.cxpm.registry;

import dev.cxpm.core.pack.Packer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A few example plugins for {@code cxpm serve --demo}, so a new user sees a populated
 * registry at once: search, categories, skills, MCP servers, apps, a yanked version.
 */
public final class DemoPlugins {

    private DemoPlugins() {
    }

    /** Publishes the examples as the given admin caller; a no-op for versions already there. */
    public static int seed(Registry registry, Caller admin) {
        int n = 0;
        for (byte[] archive : archives()) {
            try {
                registry.publish(admin, archive);
                n++;
            } catch (RegistryException e) {
                if (e.status() != 409) {
                    throw e;
                }
            }
        }
        if (registry.versions("github-triage").stream().anyMatch(v -> v.version().equals("0.9.0") && !v.yanked())) {
            registry.yank(admin, "github-triage", "0.9.0", true);
        }
        return n;
    }

    static List<byte[]> archives() {
        return List.of(
                plugin("github-triage", "0.9.0", "GitHub Triage", "Coding", "#24292f",
                        "Triage GitHub issues and pull requests from Codex.", List.of("github", "issues"),
                        Map.of("triage", "Label, deduplicate and prioritise new GitHub issues."),
                        "{\"mcpServers\":{\"github\":{\"command\":\"npx\",\"args\":[\"-y\",\"@modelcontextprotocol/server-github\"],\"env\":{\"GITHUB_TOKEN\":\"${GITHUB_TOKEN}\"}}}}",
                        null),
                plugin("github-triage", "1.0.0", "GitHub Triage", "Coding", "#24292f",
                        "Triage GitHub issues and pull requests from Codex: labels, duplicates, priorities.", List.of("github", "issues", "pull requests"),
                        Map.of("triage", "Label, deduplicate and prioritise new GitHub issues.",
                                "review-summary", "Summarise a pull request's changes and open questions."),
                        "{\"mcpServers\":{\"github\":{\"command\":\"npx\",\"args\":[\"-y\",\"@modelcontextprotocol/server-github\"],\"env\":{\"GITHUB_TOKEN\":\"${GITHUB_TOKEN}\"}}}}",
                        null),
                plugin("postgres-explorer", "2.1.0", "Postgres Explorer", "Data", "#336791",
                        "Explore a PostgreSQL database: schemas, query plans and safe read-only queries.", List.of("sql", "database", "postgresql"),
                        Map.of("explain-plan", "Read an EXPLAIN ANALYZE plan and point at the slow node."),
                        "{\"mcpServers\":{\"postgres\":{\"command\":\"uvx\",\"args\":[\"mcp-server-postgres\"],\"env\":{\"DATABASE_URL\":\"${DATABASE_URL}\"}}}}",
                        null),
                plugin("design-review", "0.3.1", "Design Review", "Design", "#e8590c",
                        "Review UI screenshots against your design system and accessibility rules.", List.of("design", "accessibility", "ui"),
                        Map.of("contrast-check", "Check colour contrast of a screenshot against WCAG AA."),
                        null,
                        "{\"apps\":{\"figma\":{\"id\":\"asdk_app_figma\"}}}"));
    }

    private static byte[] plugin(String name, String version, String display, String category, String color, String description,
            List<String> keywords, Map<String, String> skills, String mcp, String app) {
        // what the MCP servers need on the user's machine, declared as 'validate --strict' requires
        String prerequisites = mcp == null ? "{}" : mcp.contains("npx")
                ? "{\"commands\": {\"npx\": \"Node.js 18+ from https://nodejs.org\"}, \"env\": {\"GITHUB_TOKEN\": \"a GitHub token: https://github.com/settings/tokens\"}}"
                : "{\"commands\": {\"uvx\": \"uv from https://docs.astral.sh/uv/\"}, \"env\": {\"DATABASE_URL\": \"postgresql://user@host/db of the database to explore\"}}";
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder kw = new StringBuilder();
        keywords.forEach(k -> kw.append(kw.isEmpty() ? "" : ", ").append('"').append(k).append('"'));
        files.put(".codex-plugin/plugin.json", """
                {
                  "name": "%s",
                  "version": "%s",
                  "description": "%s",
                  "keywords": [%s],
                  "license": "Apache-2.0",
                  "prerequisites": %s,
                  "interface": {
                    "displayName": "%s",
                    "shortDescription": "%s",
                    "developerName": "cxpm examples",
                    "category": "%s",
                    "capabilities": ["Read", "Write"],
                    "brandColor": "%s"
                  }
                }
                """.formatted(name, version, description, kw, prerequisites, display, description, category, color));
        skills.forEach((id, desc) -> files.put("skills/" + id + "/SKILL.md",
                "---\nname: " + id + "\ndescription: " + desc + "\n---\n\n# " + id + "\n\n" + desc + "\n"));
        if (mcp != null) {
            files.put(".mcp.json", mcp);
        }
        if (app != null) {
            files.put(".app.json", app);
        }
        StringBuilder readme = new StringBuilder("# ").append(display).append("\n\n").append(description).append("\n\n## Skills\n\n");
        skills.forEach((id, desc) -> readme.append("- `").append(id).append("`: ").append(desc).append('\n'));
        readme.append("\n## Install\n\n```sh\ncxpm install ").append(name).append("\n```\n");
        files.put("README.md", readme.toString());
        return Packer.archive(files);
    }
}
