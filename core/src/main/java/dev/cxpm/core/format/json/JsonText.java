package dev.cxpm.core.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A JSON tree as text, written by Jackson's streaming generator: the same bytes as {@code node.toString()} and an
 * ObjectMapper's {@code writeValueAsString}, without an ObjectMapper. The first ObjectMapper of a JVM costs ~50 ms
 * (its date format loads locale data), as much as a whole cold {@code cxpm list} may take, so the commands CI runs
 * one per job (list, validate, install) write their JSON here.
 */
public final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /** On one line, as {@code node.toString()}. */
    public static String compact(JsonNode node) {
        return write(node, null);
    }

    /** What writes a JSON value to a generator, straight from the caller's own data (no tree built first). */
    @FunctionalInterface
    public interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    /** On one line, as {@link #compact(JsonNode)} writes the tree of what writing writes. */
    public static String compact(Writing writing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writing.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Indented as an ObjectMapper with {@code SerializationFeature.INDENT_OUTPUT} writes it. */
    public static String indented(JsonNode node) {
        return write(node, new DefaultPrettyPrinter());
    }

    /** With this pretty printer (a fresh instance of it, as an ObjectWriter takes one). */
    public static String write(JsonNode node, PrettyPrinter printer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (printer != null) {
                g.setPrettyPrinter(printer instanceof Instantiatable<?> i ? (PrettyPrinter) i.createInstance() : printer);
            }
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** What an ObjectMapper's serializer of trees writes for each node (node.serialize needs its provider). */
    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (var e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode c : n) {
                    write(g, c);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    default -> g.writeNumber(n.decimalValue());
                }
            }
            default -> throw new IllegalArgumentException("not a JSON tree node: " + n.getNodeType());
        }
    }
}
