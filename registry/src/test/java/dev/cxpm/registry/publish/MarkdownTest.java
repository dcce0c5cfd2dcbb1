package dev.cxpm.registry.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A README renders as a reader expects, and nothing in it runs or loads from elsewhere. */
class MarkdownTest {

    @Test
    void headingsListsCodeAndTablesRenderBelowThePagesOwnHeadings() {
        String html = Markdown.html("# Team Tools\n\nSome *text*.\n\n## Usage\n\n- one\n- two\n\n```sh\ncxpm install x\n```\n\n"
                + "| a | b |\n|---|---|\n| 1 | 2 |\n");
        assertThat(html).contains("<h3>Team Tools</h3>").contains("<h4>Usage</h4>").contains("<em>text</em>")
                .contains("<li>one</li>").contains("<code class=\"language-sh\">cxpm install x\n</code>").contains("<td>1</td>");
    }

    @Test
    void headingLevelsNeverSkipWhateverTheReadmeUses() {
        String html = Markdown.html("# A\n\n#### B\n\n###### C\n\n## D\n");
        assertThat(html).contains("<h3>A</h3>").contains("<h4>B</h4>").contains("<h5>C</h5>").contains("<h4>D</h4>");
    }

    @Test
    void rawHtmlScriptsHandlersFramesAndScriptedLinksComeOutInert() {
        String html = Markdown.html("""
                <script>alert(1)</script>

                Hello <img src=x onerror=alert(2)> there.

                <iframe src="https://evil.example"></iframe>

                [click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](VBScript:x) [rel](docs/usage.md)

                [ok](https://example.com/docs) [mail](mailto:a@example.com) [top](#usage)

                ![logo](https://example.com/logo.png) ![local](assets/shot.png)

                <style>body{display:none}</style>
                """);
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<iframe").doesNotContain("<style")
                .doesNotContain("javascript:").doesNotContain("data:text").doesNotContainIgnoringCase("vbscript:")
                .doesNotContain("href=\"docs/usage.md\"");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;")
                .contains("&lt;iframe").contains("<p>click data vb rel</p>")
                .contains("<a href=\"https://example.com/docs\" rel=\"nofollow ugc noopener\">ok</a>")
                .contains("<a href=\"mailto:a@example.com\"").contains("<a href=\"#usage\"")
                .contains("<a href=\"https://example.com/logo.png\" rel=\"nofollow ugc noopener\">[image: logo]</a>")
                .contains("[image: local]");
    }
}
