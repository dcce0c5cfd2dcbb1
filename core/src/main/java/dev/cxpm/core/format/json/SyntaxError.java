package dev.cxpm.core.format.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cxpm.core.toml.TomlTree;
import dev.cxpm.core.UserError;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON or TOML text that does not parse, said in the user's words: {@code FILE:LINE:COLUMN: what is wrong},
 * and a hint. Jackson's messages speak of its own internals ({@code (code 125)}, {@code [Source: REDACTED ...]},
 * token names such as {@code STD_TABLE_CLOSE}, feature names); every reader of a file or an answer that came from a
 * user or a server turns its parse failure into words here, so all of them read alike and none leaks a parser's
 * vocabulary. {@code source} is a file name or, for a registry's answer, its URL.
 */
public record SyntaxError(String source, int line, int column, String problem, String hint) {

    public static final String JSON_HINT = "fix the JSON syntax (no comments, no trailing commas, strings in double quotes)";

    /** {@code FILE:LINE:COLUMN: problem}, or less when the place is not known. */
    public String message() {
        String where = source;
        if (line > 0) {
            where += ":" + line + (column > 0 ? ":" + column : "");
        }
        return where + ": " + problem;
    }

    public UserError toUserError() {
        return new UserError(UserError.Kind.INVALID_INPUT, message(), hint);
    }

    /** A JSON parse failure of text (read from source). */
    public static SyntaxError json(String source, JsonProcessingException e, String hint) {
        JsonLocation at = e.getLocation();
        return new SyntaxError(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                jsonWords(e.getOriginalMessage()), hint == null ? JSON_HINT : hint);
    }

    /** A TOML parse failure of text (read from source); Jackson's TOML module also throws unchecked exceptions. */
    public static SyntaxError toml(String source, String text, Exception e, String hint) {
        if (!(e instanceof JsonProcessingException j)) {
            return new SyntaxError(source, 0, 0, "not valid TOML", hint);
        }
        JsonLocation at = j.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        String msg = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
        String[] lines = text.split("\n", -1);
        if (msg.startsWith("Duplicate key") || msg.startsWith("Table redefined")) {
            // reported where the parser stood once the whole line was read: at the start of the next one
            int back = column > 1 ? line : previousContentLine(lines, line);
            if (back > 0 && back <= lines.length) {
                return new SyntaxError(source, back, 1, "not valid TOML: " + tomlWords(msg, keyOf(lines[back - 1])), hint);
            }
        }
        // valid TOML that the real Codex CLI refuses (toml.CodexRefusals: a key of too many parts, values nested too deep)
        // and valid TOML too big for cxpm to read (toml.TomlTree.MAX_NODES)
        String problem = msg.startsWith("Codex refuses ") || msg.startsWith(TomlTree.TOO_MANY) ? msg : "not valid TOML: " + tomlWords(msg, null);
        return new SyntaxError(source, Math.min(line, lines.length), column, problem, hint);
    }

    // --- JSON ----------------------------------------------------------------------------------

    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('(.*?)' \\(code (\\d+)\\)\\):? ?(.*)$", Pattern.DOTALL);
    private static final Pattern CTRL = Pattern.compile("^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*", Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '(.*?)'.*", Pattern.DOTALL);
    private static final Pattern CLOSE = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'.*", Pattern.DOTALL);
    private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape '(.*?)' \\(code (\\d+)\\).*", Pattern.DOTALL);

    /** Jackson's words for a JSON syntax error, in the user's. */
    static String jsonWords(String msg) {
        if (msg == null || msg.isBlank()) {
            return "not valid JSON";
        }
        Matcher m = UNEXPECTED.matcher(msg);
        if (m.matches()) {
            String found = shown(Integer.parseInt(m.group(2)));
            String rest = m.group(3);
            if (rest.contains("comment")) {
                return "comments are not allowed in JSON";
            }
            if (rest.contains("double-quote to start field name")) {
                return found.equals("`}`") ? "a comma before `}`: JSON allows no trailing comma"
                        : "expected a key in double quotes, found " + found;
            }
            if (rest.contains("comma to separate Object entries")) {
                return "expected `,` or `}` after the value, found " + found + " (a missing comma?)";
            }
            if (rest.contains("comma to separate Array entries")) {
                return "expected `,` or `]` after the value, found " + found + " (a missing comma?)";
            }
            if (rest.contains("colon to separate field name and value")) {
                return "expected `:` after the key, found " + found;
            }
            if (rest.contains("expected a valid value") || rest.contains("expected a value")) {
                if (found.equals("`]`")) {
                    return "a comma before `]`: JSON allows no trailing comma";
                }
                return "expected a value, found " + found + (found.equals("`'`") ? " (JSON strings use double quotes)" : "");
            }
            return "unexpected " + found;
        }
        m = CTRL.matcher(msg);
        if (m.matches()) {
            int code = Integer.parseInt(m.group(1));
            if (code == '\n' || code == '\r') {
                return "the string is not closed before the end of the line (a missing `\"`?)";
            }
            if (code == '\t') {
                return "a tab inside a string must be written as \\t";
            }
            String hex = String.format("%04X", code);
            return "control character U+" + hex + " inside a string: write it as \\u" + hex;
        }
        if (msg.startsWith("Unexpected end-of-input")) {
            Matcher start = SOURCE.matcher(msg);
            String opened = msg.contains("for Object") ? "`{`" : msg.contains("for Array") ? "`[`" : null;
            if (opened != null && start.find()) {
                return "the file ends before the " + opened + " at line " + start.group(1) + " column " + start.group(2) + " is closed";
            }
            if (msg.contains("closing quote") || msg.contains("in field name")) {
                return "the file ends inside a string (a missing `\"`?)";
            }
            return "the file ends too early (a missing `}` or `]`?)";
        }
        m = TOKEN.matcher(msg);
        if (m.matches()) {
            return "`" + m.group(1) + "` is not a JSON value (text must be in double quotes)";
        }
        m = CLOSE.matcher(msg);
        if (m.matches()) {
            Matcher start = SOURCE.matcher(msg);
            String opened = m.group(2).equals("]") ? "`[`" : "`{`";
            return "found `" + m.group(1) + "` where `" + m.group(2) + "` closes the " + opened
                    + (start.find() ? " at line " + start.group(1) + " column " + start.group(2) : "");
        }
        m = ESCAPE.matcher(msg);
        if (m.matches()) {
            return "`\\" + shown(Integer.parseInt(m.group(2))).replace("`", "") + "` is not an escape JSON knows (write a backslash as \\\\)";
        }
        if (msg.contains("Leading zeroes")) {
            return "a number cannot start with 0";
        }
        if (msg.startsWith("Non-standard token")) {
            Matcher t = Pattern.compile("'(.*?)'").matcher(msg);
            return (t.find() ? "`" + t.group(1) + "`" : "this") + " is not a JSON value";
        }
        return scrub(msg);
    }

    /** What is left of a message we have no words for: its first line, without the parser's internals. */
    static String scrub(String msg) {
        int nl = msg.indexOf('\n');
        String s = nl > 0 ? msg.substring(0, nl) : msg;
        s = SOURCE.matcher(s).replaceAll("line $1 column $2");
        s = s.replaceAll("\\s*\\(code \\d+\\)", "").replaceAll("\\(\\(CTRL-CHAR\\)\\)", "(control character)");
        s = s.replaceAll("\\s*\\(?[Ss]ince [Ff]eature '.*", "").replaceAll("[Ff]eature '[A-Z_]+'", "this");
        s = s.replaceAll("\\b(com\\.fasterxml|tools\\.jackson)[\\w.$]*", "the parser");
        return s.isBlank() ? "not valid" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String shown(int code) {
        if (code < 0x20 || code == 0x7f) {
            return String.format("control character U+%04X", code);
        }
        return "`" + new String(Character.toChars(code)) + "`";
    }

    // --- TOML ----------------------------------------------------------------------------------

    private static final Map<String, String> TOML_TOKENS = Map.ofEntries(
            Map.entry("UNQUOTED_KEY", "a key"), Map.entry("DOT_SEP", "`.`"), Map.entry("STRING", "a string"),
            Map.entry("TRUE", "`true`"), Map.entry("FALSE", "`false`"), Map.entry("OFFSET_DATE_TIME", "a date-time"),
            Map.entry("LOCAL_DATE_TIME", "a date-time"), Map.entry("LOCAL_DATE", "a date"), Map.entry("LOCAL_TIME", "a time"),
            Map.entry("FLOAT", "a number"), Map.entry("INTEGER", "a number"), Map.entry("STD_TABLE_OPEN", "`[`"),
            Map.entry("STD_TABLE_CLOSE", "`]`"), Map.entry("INLINE_TABLE_OPEN", "`{`"), Map.entry("INLINE_TABLE_CLOSE", "`}`"),
            Map.entry("ARRAY_TABLE_OPEN", "`[[`"), Map.entry("ARRAY_TABLE_CLOSE", "`]]`"), Map.entry("ARRAY_OPEN", "`[`"),
            Map.entry("ARRAY_CLOSE", "`]`"), Map.entry("KEY_VAL_SEP", "`=`"), Map.entry("COMMA", "`,`"),
            Map.entry("ARRAY_WS_COMMENT_NEWLINE", "a line break"));
    private static final Pattern TOML_TOKEN = Pattern.compile("\\b(" + String.join("|", TOML_TOKENS.keySet()) + ")\\b");

    static String tomlWords(String msg, String key) {
        String named = key == null || key.isEmpty() ? "a key" : "`" + key + "`";
        if (msg.startsWith("Duplicate key")) {
            return named + " is set twice (TOML allows each key once)";
        }
        if (msg.startsWith("Table redefined")) {
            return "table " + (key == null ? "" : named + " ") + "is defined twice (TOML allows each table once)";
        }
        if (msg.startsWith("Newline not permitted here")) {
            return "the line ends too early (an unclosed `[`, `\"` or `{`, or a key without `= value`?)";
        }
        if (msg.startsWith("Premature end of file")) {
            return "the file ends too early (an unclosed string, array or inline table?)";
        }
        if (msg.startsWith("Illegal control character")) {
            return "a control character is not allowed here (inside a string, write it as \\uXXXX)";
        }
        if (msg.startsWith("Unknown escape sequence")) {
            return "not an escape TOML knows (write a backslash as \\\\, or use a 'literal string')";
        }
        if (msg.startsWith("Comment not permitted here")) {
            return "a comment is not allowed here";
        }
        if (msg.startsWith("Unknown token") || msg.startsWith("Error: could not match input")) {
            return "not valid TOML here (text values need quotes)";
        }
        Matcher m = Pattern.compile("^Unexpected token: Got (\\S+), expected (.*)$", Pattern.DOTALL).matcher(msg);
        if (m.matches()) {
            return "found " + tomlToken(m.group(1)) + " where " + tomlToken(m.group(2)) + " was expected";
        }
        return scrub(tomlToken(msg));
    }

    private static String tomlToken(String s) {
        return TOML_TOKEN.matcher(s).replaceAll(r -> Matcher.quoteReplacement(TOML_TOKENS.get(r.group(1))));
    }

    /** The last line before line (1-based) with content other than a comment, or 0 when none. */
    private static int previousContentLine(String[] lines, int line) {
        for (int i = Math.min(line - 1, lines.length) - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String keyOf(String line) {
        String l = line.strip();
        if (l.startsWith("[")) {
            return l.replaceAll("^\\[+|\\]+.*$", "").strip();
        }
        int eq = l.indexOf('=');
        return eq > 0 ? l.substring(0, eq).strip() : null;
    }
}
