package dev.cxpm.core.format.parts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link FrontMatterYaml} reads the plain {@code key: words} front matter by hand and leaves the rest to
 * {@link YamlEvents}: on every text it reads itself the tree must be Jackson's YAML module's and the full reader's, and it
 * must not accept what Jackson refuses.
 */
class FrontMatterYamlTest {
    private static final ObjectMapper JACKSON = new ObjectMapper(new YAMLFactory());

    static final List<String> CORPUS = List.of(
            "name: hello\ndescription: Says hello",
            "name: hello\ndescription: Use when the user asks for a review, a lint or a fix.",
            "name: a\ndescription: it's (mostly) fine; a/b +c =d ?e !f - g",
            "name: é\ndescription: Résumé of the day 日本",
            "name: hello   \ndescription:   Says   hello  ",
            "name: hello\n\ndescription: x\n   \n",
            "allowed-tools: Read\nname: x",
            "name_1: x", "name: yes", "name: No", "name: on", "name: OFF", "name: true", "name: null", "name: Null", "name: y",
            "yes: x", "true: x", "null: x", "name: 1", "name: 1.5", "name: 2024-01-01", "name: .inf", "name: ~", "name:", "name: ",
            "name:x", "name : x", " name: x", "name: x\n  continued", "name: x\ncontinued", "name: x # comment", "# c\nname: x",
            "name: \"quoted\"", "name: 'single'", "name: a: b", "name: a:b", "name: [a, b]", "name: {a: b}", "name: |\n  block",
            "name: >\n  folded", "name: x\nname: y", "name: x\n- item", "- item", "name: &a x", "name: *a", "name: !tag x",
            "name: x\tY", "name: x\u2028y", "name: x\u0085y", "name: x\uFEFF", "name: @x", "name: `x`", "name: %x", "name: a,b",
            "<<: x", "name: e5", "name: E", "name: nan", "name: inf", "-name: x", "_name: x", "9name: x", "na-me: x", "",
            "   ", "\n\n", "...", "---", "name: x\n---\nother: y");

    @Test
    void everyFrontMatterItReadsItselfHasJacksonsTree() {
        int readHere = 0;
        for (String text : CORPUS) {
            if (agrees(text)) {
                readHere++;
            }
        }
        assertThat(readHere).as("read without Jackson").isGreaterThan(10);
        assertThat(FrontMatterYaml.readSimple("name: hello\ndescription: Says hello")).as("the common shape").isNotNull();
    }

    @Test
    void mutatedFrontMattersNeverGetADifferentTreeNorPassWhereJacksonFails() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        String noise = ":#'\"-[]{}&*!|>%@`\t \n.,?=yesnotrue1~\u00e9\u2028";
        for (int n = 0; n < 8000; n++) {
            StringBuilder b = new StringBuilder(CORPUS.get(random.nextInt(CORPUS.size())));
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(b.length() + 1);
                if (random.nextBoolean() || at == b.length()) {
                    b.insert(at, noise.charAt(random.nextInt(noise.length())));
                } else {
                    b.setCharAt(at, noise.charAt(random.nextInt(noise.length())));
                }
            }
            texts.add(b.toString());
        }
        int readHere = 0;
        for (String text : texts) {
            if (agrees(text)) {
                readHere++;
            }
        }
        assertThat(readHere).as("read without Jackson").isGreaterThan(300);
    }

    private static boolean agrees(String text) {
        JsonNode here = FrontMatterYaml.readSimple(text);
        if (here == null) {
            return false;
        }
        JsonNode jackson;
        try {
            jackson = JACKSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("read a front matter Jackson refuses (" + e.getMessage().lines().findFirst().orElse("") + "):\n" + text);
        }
        assertThat(jackson).as("Jackson's tree of:\n%s", text).isNotNull();
        assertThat(shape(here)).as("the tree of:\n%s", text).isEqualTo(shape(jackson));
        try {
            assertThat(shape(here)).as("the full reader's tree of:\n%s", text).isEqualTo(shape(YamlEvents.read(text, Set.of())));
        } catch (java.io.IOException e) {
            throw new AssertionError("the full reader refuses:\n" + text, e);
        }
        return true;
    }

    private static String shape(JsonNode n) {
        StringBuilder b = new StringBuilder();
        n.properties().forEach(e -> b.append(e.getKey()).append('=').append(e.getValue().getClass().getSimpleName())
                .append('(').append(e.getValue()).append(")\n"));
        return n.getClass().getSimpleName() + "\n" + b;
    }
}
