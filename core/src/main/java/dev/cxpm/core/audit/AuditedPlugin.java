package dev.cxpm.core.audit;

import java.nio.file.Path;

/** An installed plugin as an audit sees it: its id ({@code name@marketplace}), installed version and directory. */
public record AuditedPlugin(String name, String marketplace, String version, Path dir, boolean enabled) {

    public String id() {
        return name + "@" + marketplace;
    }
}
