package dev.cxpm.core.format.parts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.PlainText;
import dev.cxpm.testkit.CodexClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which skills the real Codex CLI (0.171.0) loads, and under which name and description, for SKILL.md front matter at
 * the edges (measured with {@code codex debug prompt-input}, which lists each skill it loads), against what cxpm reads
 * ({@link FrontMatter#ofSkill}): a skill Codex skips must be an error for cxpm (with its line), and one Codex loads must
 * not be refused. Before: a byte order mark and a repeated {@code name} or {@code description} were read (Codex skips
 * the skill); {@code name: [b6} and a broken {@code x: [} line elsewhere were refused (Codex reads them as text).
 */
class SkillFrontMatterAsCodexTest {
    /** What Codex lists for each skill directory: "name: description", or null where it does not load the skill. */
    private static final Map<String, String> CASES = new LinkedHashMap<>();
    private static final Map<String, String> TEXTS = new LinkedHashMap<>();

    private static void loads(String dir, String text, String listed) {
        TEXTS.put(dir, text);
        CASES.put(dir, listed);
    }

    private static void skips(String dir, String text) {
        loads(dir, text, null);
    }

    static {
        // the four cases cxpm read otherwise
        skips("bom", "\uFEFF---\nname: bom\ndescription: about bom\n---\nbody\n");
        skips("dupname", "---\nname: d1\nname: d2\ndescription: about dupname\n---\nbody\n");
        skips("dupdesc", "---\nname: dupdesc\ndescription: about dupdesc\ndescription: again\n---\nbody\n");
        skips("dupnamebroken", "---\nname: c7\nname: c7b\ndescription: about c7\nx: [\n---\nb\n");
        loads("unclosedflow", "---\nname: [b6\ndescription: about unclosedflow\n---\nbody\n", "[b6: about unclosedflow");
        loads("badother", "---\nname: badother\ndescription: about badother\nx: [\n---\nbody\n", "badother: about badother");
        // what Codex does when the YAML does not parse: values that hold `: ` or open a [ or { they do not close are text
        loads("unclosedlist", "---\nname: [a, b\ndescription: about c2\n---\nb\n", "[a, b: about c2");
        loads("unclosedmap", "---\nname: {b6\ndescription: about unclosedmap\n---\nbody\n", "{b6: about unclosedmap");
        loads("descunclosed", "---\nname: descunclosed\ndescription: [about it\n---\nbody\n", "descunclosed: [about it");
        loads("openbrace", "---\nname: c3\ndescription: about c3\nx: {\n---\nb\n", "c3: about c3");
        loads("colons", "---\nname: c1\ndescription: Use when: x\n---\nb\n", "c1: Use when: x");
        loads("colonname", "---\nname: c12: z\ndescription: about c12\n---\nb\n", "c12: z: about c12");
        loads("colonother", "---\nname: c5\ndescription: about c5\nx: a: b\n---\nb\n", "c5: about c5");
        loads("listcolon", "---\nname: [c13, z]: q\ndescription: about c13\n---\nb\n", "[c13, z]: q: about c13");
        loads("namemap", "---\nname: {a: b}\ndescription: about namemap\n---\nbody\n", "{a: b}: about namemap");
        loads("comment", "---\nname: c8 # hash\ndescription: about c8\nx: [\n---\nb\n", "c8: about c8");
        loads("quotes", "---\nname: 'c9'\ndescription: \"about c9\"\nx: [\n---\nb\n", "c9: about c9");
        loads("folded", "---\nname: c11\ndescription: >\n  about c11\n  more\nx: [\n---\nb\n", "c11: about c11 more");
        loads("nested", "---\nname: c21\ndescription: about c21\nmetadata:\n  k: v\nx: [\n---\nb\n", "c21: about c21");
        loads("quoteinside", "---\nname: c20\ndescription: about \"c20\" q\nx: [\n---\nb\n", "c20: about \"c20\" q");
        skips("namelist", "---\nname: [a, b]\ndescription: about namelist\n---\nbody\n");
        skips("closedlist", "---\nname: [c10]\ndescription: about c10\nx: [\n---\nb\n");
        skips("closedmap", "---\nname: {c16}\ndescription: about c16\n---\nb\n");
        skips("unclosedquote", "---\nname: \"b6\ndescription: about unclosedquote\n---\nbody\n");
        skips("otherquote", "---\nname: badother2\ndescription: about badother2\nx: \"unclosed\n---\nbody\n");
        skips("othersingle", "---\nname: c4\ndescription: about c4\nx: 'a\n---\nb\n");
        skips("quotejunk", "---\nname: \"c6\" junk\ndescription: about c6\n---\nb\n");
        skips("closebracket", "---\nname: c15\ndescription: about c15\nx: ]\n---\nb\n");
        skips("indented", "---\nname: badother3\ndescription: about badother3\n  y: 1\n---\nbody\n");
        skips("brokennested", "---\nname: c17\ndescription: about c17\nx: [\n  y: 1\n---\nb\n");
        skips("item", "---\nname: c14\ndescription: about c14\n- item\n---\nb\n");
        // neighbours
        loads("crlf", "---\r\nname: crlf\r\ndescription: about crlf\r\n---\r\nbody\r\n", "crlf: about crlf");
        loads("crlfclose", "---\nname: c23\ndescription: about c23\n---\r\nb\n", "c23: about c23");
        loads("crlfopen", "---\r\nname: c24\ndescription: about c24\n---\nb\n", "c24: about c24");
        loads("tab", "---\nname:\tt1\ndescription: about tabs\n---\nbody\n", "t1: about tabs");
        skips("tabindent", "---\nname: tabindent\n\tdescription: about tabindent\n---\nbody\n");
        loads("dashvalue", "---\nname: a --- b\ndescription: about dashval\n---\nbody\n", "a --- b: about dashval");
        loads("escapes", "---\nname: \"q\\u0041\\tz\"\ndescription: about quotedesc\n---\nbody\n", "qA z: about quotedesc");
        loads("single", "---\nname: 'it''s'\ndescription: about singleq\n---\nbody\n", "it's: about singleq");
        loads("multiline", "---\nname: multidesc\ndescription: >\n  about multidesc\n  second line\n---\nbody\n",
                "multidesc: about multidesc second line");
        loads("plainmulti", "---\nname: plainmulti\ndescription: about plainmulti\n  continued here\n---\nbody\n",
                "plainmulti: about plainmulti continued here");
        loads("anchor", "---\nname: &a anchor\ndescription: about anchor\nx: *a\n---\nbody\n", "anchor: about anchor");
        loads("dupother", "---\nname: dupother\ndescription: about dupother\nx: 1\nx: 2\n---\nbody\n", "dupother: about dupother");
        loads("trailspace", "---  \nname: trailspace\ndescription: about trailspace\n---  \nbody\n", "trailspace: about trailspace");
        loads("frontonly", "---\nname: fmonly\ndescription: about fmonly\n---\n", "fmonly: about fmonly");
        loads("frontonlynonl", "---\nname: fmonlynonl\ndescription: about fmonlynonl\n---", "fmonlynonl: about fmonlynonl");
        loads("dotsend", "---\nname: dotsend\ndescription: about dotsend\n...\n---\nbody\n", "dotsend: about dotsend");
        loads("noname", "---\ndescription: about noname\n---\nbody\n", "noname: about noname");
        skips("noclose", "---\nname: noclose\ndescription: about noclose\nbody\n");
        skips("empty", "");
        skips("emptyfront", "---\n---\nbody\n");
        skips("nofront", "name: nofm\ndescription: about nofm\n");
        skips("leadingblank", "\n---\nname: leadingblank\ndescription: about leadingblank\n---\nbody\n");
        skips("nodesc", "---\nname: nodesc\n---\nbody\n");
        skips("emptydesc", "---\nname: c19\ndescription:\nx: [\n---\nb\n");
        // aliases: 10^39 nodes if expanded; neither reader expands them (Codex loads the skill), and an alias as the name
        loads("laughs", laughs("laughs", ""), "laughs: about lol");
        loads("laughsbroken", laughs("laughsbroken", "x: [\n"), "laughsbroken: about lol");
        skips("aliasname", "---\na0: &a0 [lol]\na1: &a1 [*a0, *a0]\nname: *a1\ndescription: about aliasname\n---\nb\n");
        // an alias or anchor as the name or description: YAML's, resolved; one that names no anchor before it is not loaded
        loads("aliasscalar", "---\nx: &a s1\nname: *a\ndescription: about aliasscalar\n---\nb\n", "s1: about aliasscalar");
        loads("aliasdesc", "---\nname: s2\nd: &d about s2 desc\ndescription: *d\n---\nb\n", "s2: about s2 desc");
        loads("aliasnamebroken", "---\nx: &a s3\nname: *a\ndescription: about aliasnamebroken\ny: [\n---\nb\n", "s3: about aliasnamebroken");
        loads("aliasnull", "---\nx: &a\nname: *a\ndescription: about aliasnull\n---\nb\n", "aliasnull: about aliasnull");
        loads("anchoronly", "---\nname: &n\ndescription: about anchoronly\n---\nb\n", "anchoronly: about anchoronly");
        loads("aliasspace", "---\nx: &a s5\nname: *a \ndescription: about aliasspace\n---\nb\n", "s5: about aliasspace");
        loads("aliasnum", "---\nx: &a 12\nname: *a\ndescription: about aliasnum\n---\nb\n", "12: about aliasnum");
        loads("aliasquoted", "---\nx: &a \"s6: q\"\nname: *a\ndescription: about aliasquoted\n---\nb\n", "s6: q: about aliasquoted");
        loads("aliasdescbroken", "---\nname: s7\nd: &d about s7\ndescription: *d\nx: a: b\n---\nb\n", "s7: about s7");
        loads("aliascolon", "---\nname: *a: b\ndescription: about aliascolon\n---\nb\n", "*a: b: about aliascolon");
        skips("aliasbeforeanchor", "---\nname: *a\nx: &a s8\ndescription: about aliasbeforeanchor\n---\nb\n");
        skips("aliaslaterbroken", "---\nname: *a\nx: &a s9\ndescription: about s9\ny: [\n---\nb\n");
        skips("aliasundefbroken", "---\nname: *nope\ndescription: about aliasundefbroken\ny: [\n---\nb\n");
        skips("aliasundef", "---\nname: *nope\ndescription: about aliasundef\n---\nb\n");
        skips("aliasmapname", "---\nm: &m {k: v}\nname: *m\ndescription: about aliasmapname\n---\nb\n");
        skips("aliasself", "---\nname: &a *a\ndescription: about aliasself\n---\nb\n");
        skips("anchorbroken", "---\nname: &a [s10\ndescription: about anchorbroken\n---\nb\n");
        // a key that is an alias, or carries an anchor: YAML's, resolved (cxpm refused each alias key: Jackson's YAML
        // parser takes none, and never tells a key's anchor; aliaskeytwice was refused for the alias, not the repeat)
        loads("aliaskeyname", "---\nx: &k name\n*k : s10\ndescription: about s10\n---\nb\n", "s10: about s10");
        loads("aliaskeydesc", "---\nname: s11\nx: &d description\n*d : about s11\n---\nb\n", "s11: about s11");
        loads("anchoredkey", "---\n&k name : s12\ndescription: about s12\n---\nb\n", "s12: about s12");
        loads("aliaskeyother", "---\nname: s15\nx: &k other\n*k : z\ndescription: about s15\n---\nb\n", "s15: about s15");
        skips("aliaskeytwice", "---\n&k name : s13\n*k : s14\ndescription: about s13\n---\nb\n");
        skips("bomkey", "---\n\uFEFFname: c22\ndescription: about c22\n---\nb\n");
    }

    /** cxpm's reading of each case, as Codex would list it (null: cxpm reports an error, so the skill is not loaded). */
    private static String cxpm(String dir, String text) {
        FrontMatter fm = FrontMatter.ofSkill(text);
        if (fm.error().isPresent()) {
            boolean told = fm.errorLine() > 0 && fm.fix().contains("Codex does not load");
            return told ? null : "an error without its line or fix: " + fm.error().get();
        }
        String name = text(fm.yaml().path("name"));
        String description = text(fm.yaml().path("description"));
        return description.isEmpty() ? null : (name.isEmpty() ? dir : name) + ": " + description;
    }

    @Test
    void cxpmReadsEachCaseAsCodexDoes() {
        Map<String, String> cxpm = new LinkedHashMap<>();
        TEXTS.forEach((dir, text) -> cxpm.put(dir, cxpm(dir, text)));
        assertThat(cxpm).isEqualTo(CASES);
    }

    @Test
    void aRepeatedNameIsReportedAtItsSecondLine() {
        FrontMatter fm = FrontMatter.ofSkill(TEXTS.get("dupname"));
        assertThat(fm.error()).hasValue("`name` is given twice (lines 2 and 3)");
        assertThat(fm.errorLine()).isEqualTo(3);
    }

    @Test
    void aNameRepeatedThroughAnAliasIsReportedAtTheAlias() {
        FrontMatter fm = FrontMatter.ofSkill(TEXTS.get("aliaskeytwice"));
        assertThat(fm.error()).hasValue("`name` is given twice (lines 2 and 3)");
        assertThat(fm.errorLine()).isEqualTo(3);
    }

    /** Codex's second reading keeps the bounds of the first: depth is refused both times, at a line. */
    @Test
    void theSecondReadingKeepsTheBoundsOfTheFirst() {
        FrontMatter deep = FrontMatter.ofSkill("---\nname: deep\ndescription: about deep\nx: [\ny: " + "[".repeat(100_000)
                + "]".repeat(100_000) + "\n---\n");
        assertThat(deep.error()).isPresent();
        assertThat(deep.errorLine()).isPositive();
        String many = "---\nname: many\ndescription: about many\n" + "x: [\n".repeat(100_000) + "---\n";
        assertThat(FrontMatter.ofSkill(many).error()).as("a repeated key other than name and description").isEmpty();
    }

    private static String laughs(String name, String extra) {
        StringBuilder b = new StringBuilder("---\nname: " + name + "\ndescription: about lol\n" + extra + "a0: &a0 [lol]\n");
        for (int i = 1; i < 40; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ",").repeat(9))
                    .append("*a").append(i - 1).append("]\n");
        }
        return b.append("---\nb\n").toString();
    }

    /** The real Codex CLI lists each skill it loads under its name and description. */
    @Test
    void theRealCodexLoadsTheSameSkills(@TempDir Path tmp) throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        for (Map.Entry<String, String> c : TEXTS.entrySet()) {
            Path skill = Files.createDirectories(codexHome.resolve("skills").resolve(c.getKey()));
            Files.write(skill.resolve("SKILL.md"), c.getValue().getBytes(StandardCharsets.UTF_8));
        }
        CodexClient.Result r = new CodexClient(codexHome, Files.createDirectories(tmp.resolve("home"))).run(tmp, "debug", "prompt-input");
        Assumptions.assumeFalse(r.exitCode() == 127, "the real Codex CLI cannot be installed here: " + r.stderr());
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> texts = new ArrayList<>();
        collect(new ObjectMapper().readTree(r.stdout()), texts);
        String prompt = String.join("\n", texts);
        Map<String, String> codex = new LinkedHashMap<>();
        for (String dir : TEXTS.keySet()) {
            int at = prompt.indexOf(" (file: r0/" + dir + "/SKILL.md)");
            codex.put(dir, at < 0 ? null : PlainText.collapseSpaces(prompt.substring(prompt.lastIndexOf("\n- ", at) + 3, at)).strip());
        }
        assertThat(codex).isEqualTo(CASES);
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(child -> collect(child, out));
    }

    private static String text(JsonNode node) {
        return Optional.of(node).filter(JsonNode::isTextual).map(JsonNode::asText).map(PlainText::collapseSpaces)
                .map(String::strip).filter(s -> !s.isEmpty()).orElse("");
    }
}
