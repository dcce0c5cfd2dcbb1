package dev.cxpm.registry.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * A plugin's README as HTML a page can hold: CommonMark (and GitHub's tables), with every raw HTML block or tag
 * shown as text ({@code escapeHtml}), so no script, handler, iframe or style from a README reaches the page. Links
 * keep only http, https and mailto targets and in-page anchors, and are marked {@code nofollow ugc}; images become
 * their alt text (a link to them when they are on the web), since the page's Content-Security-Policy loads images
 * from this origin only. Headings start below the page's own (a README's {@code #} is an {@code h3}) and never skip
 * a level, so the page's outline stays one h1 with no gaps.
 */
public final class Markdown {

    /**
     * Starts every stored rendering: one made by an older renderer (or not by this registry at all) does not start with
     * it and is rendered again from the Markdown, so a fix to the renderer reaches README pages already stored.
     */
    static final String RENDERER = "<!-- cxpm markdown 1 -->\n";

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).maxOpenBlockParsers(64).build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).sanitizeUrls(true)
            .nodeRendererFactory(SafeLinks::new).nodeRendererFactory(Outline::new).build();

    private Markdown() {
    }

    /** The README rendered, its headings starting at {@code h(below + 1)}. */
    public static String html(String markdown) {
        return HTML.render(PARSER.parse(markdown));
    }

    /** The rendering as stored: {@link #html} after this renderer's mark. */
    static String stored(String markdown) {
        return RENDERER + html(markdown);
    }

    /** A stored rendering this renderer made, or empty (none, or an older renderer's: render again). */
    static java.util.Optional<String> fromStore(String stored) {
        return stored != null && stored.startsWith(RENDERER) ? java.util.Optional.of(stored.substring(RENDERER.length())) : java.util.Optional.empty();
    }

    /** The page's README section sits under an h2: a README's headings start at h3. */
    private static final int BELOW = 2;

    static boolean safeLink(String url) {
        String u = url.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("https://") || u.startsWith("http://") || u.startsWith("mailto:") || u.startsWith("#");
    }

    private static final class SafeLinks implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private final HtmlWriter html;

        SafeLinks(HtmlNodeRendererContext context) {
            this.context = context;
            this.html = context.getWriter();
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class);
        }

        @Override
        public void render(Node node) {
            if (node instanceof Link link) {
                if (!safeLink(link.getDestination())) {
                    children(node); // a relative or scripted target: its text only
                    return;
                }
                html.tag("a", link(link.getDestination()));
                children(node);
                html.tag("/a");
            } else if (node instanceof Image image) {
                String alt = altText(image);
                boolean web = safeLink(image.getDestination()) && !image.getDestination().startsWith("#");
                if (web) {
                    html.tag("a", link(image.getDestination()));
                }
                html.text("[image" + (alt.isBlank() ? "" : ": " + alt) + "]");
                if (web) {
                    html.tag("/a");
                }
            }
        }

        private Map<String, String> link(String destination) {
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("href", context.encodeUrl(destination.strip()));
            attrs.put("rel", "nofollow ugc noopener");
            return attrs;
        }

        private void children(Node parent) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
                context.render(n);
            }
        }

        private static String altText(Node parent) {
            StringBuilder b = new StringBuilder();
            for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
                if (n instanceof Text t) {
                    b.append(t.getLiteral());
                } else {
                    b.append(altText(n));
                }
            }
            return b.toString();
        }
    }

    /** Heading levels shifted below the page's and never deeper than one past the previous heading. */
    private static final class Outline implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private int previous = BELOW;

        Outline(HtmlNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Heading.class);
        }

        @Override
        public void render(Node node) {
            Heading h = (Heading) node;
            int level = Math.min(6, Math.min(h.getLevel() + BELOW, previous + 1));
            previous = level;
            HtmlWriter html = context.getWriter();
            html.line();
            html.tag("h" + level);
            for (Node n = h.getFirstChild(); n != null; n = n.getNext()) {
                context.render(n);
            }
            html.tag("/h" + level);
            html.line();
        }
    }
}
