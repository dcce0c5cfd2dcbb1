package dev.cxpm.core.project;

import java.util.Optional;

/** A marketplace the project uses: {@code team = { source = "https://...git", ref = "main" }} in cxpm.toml. */
public record MarketplaceDecl(String name, String source, Optional<String> ref, ManifestLine at) {

    /** The line of cxpm.toml it is declared on. */
    public int line() {
        return at.number();
    }
}
