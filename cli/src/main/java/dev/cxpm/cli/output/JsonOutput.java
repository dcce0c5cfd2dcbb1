package dev.cxpm.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.format.json.JsonText;

/**
 * JSON for programs, printed the way the real Codex CLI prints its {@code --json} (2-space indent,
 * {@code "key": value}), so scripts written against {@code codex plugin ... --json} read cxpm's too.
 * Trees are written without an ObjectMapper ({@link JsonText}: a cold command does not pay for one).
 */
public final class JsonOutput {
    private static final DefaultPrettyPrinter PRETTY;

    static {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        pp.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        pp.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        PRETTY = pp;
    }

    /** Made on first use, for the few callers that need one. */
    private static final class Lazy {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** A generator's factory alone (no ObjectMapper), for {@link #print}. */
    private static final class Streams {
        static final com.fasterxml.jackson.core.JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactory();
    }

    private JsonOutput() {
    }

    public static ObjectMapper mapper() {
        return Lazy.MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Prints what writing writes, as {@link #pretty} prints the tree of it, followed by a line break, straight to out:
     * a long answer (a search matching 100,000 plugins) is never a tree nor a string as a whole.
     */
    public static void print(java.io.PrintWriter out, JsonText.Writing writing) {
        try (com.fasterxml.jackson.core.JsonGenerator g = Streams.FACTORY.createGenerator(out)) {
            g.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(PRETTY.createInstance());
            writing.to(g);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println();
    }

    public static String pretty(Object value) {
        if (value instanceof JsonNode node) {
            return JsonText.write(node, PRETTY);
        }
        try {
            return mapper().writer(PRETTY).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
