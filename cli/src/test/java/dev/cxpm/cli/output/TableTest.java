package dev.cxpm.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    static String print(Table t) {
        StringWriter s = new StringWriter();
        t.print(new PrintWriter(s, true));
        return s.toString();
    }

    @Test
    void padsEachColumnToItsWidestCellTwoSpacesApartWithoutTrailingSpaces() {
        Table t = new Table("PLUGIN", "VERSION", "PATH");
        t.row("a@fx", "1.0.0", "/p/a");
        t.row("longer-name@fx", "10.20.30", "/p/longer");
        assertThat(print(t)).isEqualTo("""
                PLUGIN          VERSION   PATH
                a@fx            1.0.0     /p/a
                longer-name@fx  10.20.30  /p/longer
                """);
    }

    @Test
    void aHugeCellDoesNotPadEveryOtherRowToItsWidth() {
        // a hand-edited cxpm.lock can hold a version of megabytes: padded to it, 1,000 rows printed gigabytes
        String huge = "x".repeat(100_000);
        Table t = new Table("PLUGIN", "CURRENT", "MARKETPLACE");
        t.row("evil", huge, "fx");
        for (int i = 0; i < 200; i++) {
            t.row("plugin-" + i, "1.0.0", "fx");
        }
        String out = print(t);
        assertThat(out.length()).isLessThan(2 * huge.length());
        // the other rows keep the widths of their own cells; the huge one is followed by two spaces
        assertThat(out).contains("evil        " + huge + "  fx\n", "plugin-0    1.0.0    fx\n", "PLUGIN      CURRENT  MARKETPLACE\n");
    }
}
