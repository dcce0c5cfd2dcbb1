package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which names git treats specially: the look-alikes git's own verify_path catches, and ordinary names that are not. */
class GitReservedNamesTest {

    @Test
    void gitsOwnNamesAndTheirLookAlikesAreReservedAndOrdinaryNamesAreNot() {
        for (String name : new String[] {".git", ".GIT", ".Git.", ".git. . ", ".GIT::$INDEX_ALLOCATION", ".g\u200Cit", ".git\uFEFF",
                "\u202A.gitmodules", ".gitattributes", ".GITATTRIBUTES  ", "git~1", "GIT~12", "gitmod~1", "gi7eba~3", "gitatt~2", "gi7d29~9"}) {
            assertThat(GitReservedNames.isReserved(name)).as(name).isTrue();
        }
        for (String name : new String[] {".github", ".gitignore", ".gitkeep", "git", "git~", "git~x", "gitx~1", ".git\n", ".gi t",
                "a.git", "SKILL.md", "", "."}) {
            assertThat(GitReservedNames.isReserved(name)).as(name).isFalse();
        }
    }

    /** The rule as it was written before its patterns were compiled once: the answer is the same for any name. */
    @Test
    void answersAsTheRuleWithItsPatternsCompiledEachTime() {
        Random r = new Random(12);
        String alphabet = ".gitGITmodulesatrbu7ed29~0123456789: $\u200C\u200F\u202A\u206F\uFEFF\n\r\u0085\u2028xK\u212A\u0130";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder(i % 3 == 0 ? ".git" : i % 3 == 1 ? "git" : "");
            for (int n = r.nextInt(6); n > 0; n--) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String name = b.toString();
            assertThat(GitReservedNames.isReserved(name)).as(name).isEqualTo(asBefore(name));
        }
    }

    private static boolean asBefore(String component) {
        String s = Pattern.compile("[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]").matcher(component).replaceAll("").toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon >= 0) {
            s = s.substring(0, colon);
        }
        s = s.replaceFirst("[. ]+$", "");
        return s.equals(".git") || s.equals(".gitmodules") || s.equals(".gitattributes")
                || Pattern.compile("(git|gitmod|gi7eba|gitatt|gi7d29)~[0-9]+").matcher(s).matches();
    }
}
