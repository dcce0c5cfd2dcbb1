package dev.cxpm.cli.help;

import dev.cxpm.cli.CommandTree;
import dev.cxpm.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes one man page per command ({@code man1/cxpm.1}, {@code man1/cxpm-install.1}, ...) from picocli's model of
 * every command, the one {@code --help} prints, so the two cannot disagree. Run by the build at {@code package}
 * ({@code cli/pom.xml}); the exit status section is README.md's exit-code table, the one place codes are explained.
 * Plain troff with the man macros: asciidoctor, which picocli's own generator needs, would be a heavy build step.
 */
public final class ManPages {
    private ManPages() {
    }

    /** {@code ManPages OUTPUT_DIR README.md}: writes OUTPUT_DIR/man1/*.1. */
    public static void main(String[] args) throws IOException {
        Path man1 = Files.createDirectories(Path.of(args[0]).resolve("man1"));
        List<String[]> exitCodes = exitCodes(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
        String version = new Main.Version().getVersion()[0];
        write(CommandTree.full(new Main(null)), man1, version, exitCodes);
    }

    static void write(CommandLine cl, Path man1, String version, List<String[]> exitCodes) throws IOException {
        String page = page(cl.getCommandSpec(), version, exitCodes);
        Files.writeString(man1.resolve(fileName(cl.getCommandSpec()) + ".1"), page, StandardCharsets.UTF_8);
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals(sub.getValue().getCommandName()) && !sub.getValue().getCommandSpec().usageMessage().hidden()) {
                write(sub.getValue(), man1, version, exitCodes);
            }
        }
    }

    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    static String page(CommandSpec spec, String version, List<String[]> exitCodes) {
        StringBuilder m = new StringBuilder();
        String name = fileName(spec);
        String[] description = spec.usageMessage().description();
        m.append(".TH ").append(escape(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" \"")
                .append(escape(version)).append("\" \"cxpm Manual\"\n");
        m.append(".ad l\n.nh\n"); // left-aligned, unhyphenated: option names and paths stay whole
        m.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(text(summary(spec)))).append('\n');
        m.append(".SH SYNOPSIS\n.nf\n");
        CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(Ansi.OFF));
        for (String line : help.synopsis(0).stripTrailing().split("\n")) {
            m.append(escape(line)).append('\n');
        }
        m.append(".fi\n");
        int first = spec.usageMessage().header().length > 0 ? 0 : 1; // without a header, NAME showed the first line
        if (description.length > first) {
            m.append(".SH DESCRIPTION\n");
            for (int i = first; i < description.length; i++) {
                m.append(".PP\n").append(escape(text(description[i]))).append('\n');
            }
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            m.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                m.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n")
                        .append(escape(text(String.join(" ", p.description())))).append('\n');
            }
        }
        m.append(".SH OPTIONS\n");
        List<OptionSpec> options = new ArrayList<>(spec.options()); // sorted as --help sorts them
        options.sort(java.util.Comparator.comparing(o -> o.longestName().replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT)));
        for (OptionSpec o : options) {
            if (o.hidden()) {
                continue;
            }
            m.append(".TP\n");
            List<String> names = new ArrayList<>();
            for (String n : o.names()) {
                names.add("\\fB" + escape(n) + "\\fR");
            }
            m.append(String.join(", ", names));
            if (o.arity().max() > 0) {
                m.append("=\\fI").append(escape(o.paramLabel())).append("\\fR");
            }
            m.append('\n').append(escape(text(String.join(" ", o.description())))).append('\n');
        }
        List<String> subs = new ArrayList<>();
        spec.subcommands().forEach((n, sub) -> {
            if (n.equals(sub.getCommandName()) && !sub.getCommandSpec().usageMessage().hidden()) {
                subs.add(n);
            }
        });
        if (!subs.isEmpty()) {
            m.append(".SH COMMANDS\n");
            for (String n : subs) {
                CommandSpec sub = spec.subcommands().get(n).getCommandSpec();
                m.append(".TP\n\\fB").append(escape(n)).append("\\fR\n")
                        .append(escape(text(summary(sub))))
                        .append(" See \\fB").append(escape(fileName(sub))).append("\\fR(1).\n");
            }
        }
        List<Examples.Example> examples = Examples.of(spec);
        if (!examples.isEmpty()) {
            m.append(".SH EXAMPLES\n");
            for (Examples.Example e : examples) {
                m.append(".PP\n.RS 4\n.nf\n\\fB").append(escape(e.commandLine())).append("\\fR\n.fi\n.RE\n.RS 8\n")
                        .append(escape(e.explanation())).append("\n.RE\n");
            }
        }
        m.append(".SH EXIT STATUS\n");
        for (String[] row : exitCodes) {
            m.append(".TP\n.B ").append(escape(row[0])).append('\n')
                    .append(row[1].isEmpty() ? "" : "(\\fB\\-\\-json\\fR: \\fB" + escape(row[1]) + "\\fR) ")
                    .append(markdown(row[2])).append('\n');
        }
        m.append(".SH SEE ALSO\n");
        List<String> see = new ArrayList<>();
        if (spec.parent() != null) {
            see.add("\\fB" + escape(fileName(spec.parent())) + "\\fR(1)");
        }
        for (String n : subs) {
            see.add("\\fB" + escape(fileName(spec.subcommands().get(n).getCommandSpec())) + "\\fR(1)");
        }
        see.add("\\fBcodex\\fR(1)");
        m.append(String.join(", ", see)).append('\n');
        return m.toString();
    }

    /** A command's one line, as picocli's command list shows it: its header, else its description's first line. */
    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] description = spec.usageMessage().description();
        return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    }

    /** The rows (code, --json name, meaning) of README.md's table under "## Exit codes". */
    static List<String[]> exitCodes(String readme) {
        List<String[]> rows = new ArrayList<>();
        int at = readme.indexOf("\n## Exit codes");
        if (at < 0) {
            throw new IllegalStateException("README.md has no '## Exit codes' section");
        }
        Pattern row = Pattern.compile("^\\| (\\d+) \\| `?([a-z-]*)`? *\\| (.*) \\|$");
        for (String line : readme.substring(at + 1).lines().skip(1).toList()) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                break;
            }
            Matcher r = row.matcher(line);
            if (r.matches()) {
                rows.add(new String[] {r.group(1), r.group(2), r.group(3)});
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("README.md's exit-code table has no rows");
        }
        return rows;
    }

    /** picocli's format escapes as text: its line break and its doubled per cent. */
    private static String text(String s) {
        return s.replace("%n", " ").replace("%%", "%").strip();
    }

    /** README's Markdown code spans (`x`, or ``x `y` `` around a backtick) in bold, the rest as text. */
    static String markdown(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf('`', i);
            if (open < 0) {
                out.append(escape(s.substring(i)));
                break;
            }
            int ticks = open;
            while (ticks < s.length() && s.charAt(ticks) == '`') {
                ticks++;
            }
            String fence = s.substring(open, ticks);
            int close = s.indexOf(fence, ticks);
            if (close < 0) {
                out.append(escape(s.substring(i)));
                break;
            }
            out.append(escape(s.substring(i, open))).append("\\fB").append(escape(s.substring(ticks, close).strip())).append("\\fR");
            i = close + fence.length();
        }
        return out.toString();
    }

    /** Text that troff prints as written: backslashes and hyphens escaped, no line read as a request. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder();
        for (String line : e.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line);
        }
        return out.toString();
    }
}
