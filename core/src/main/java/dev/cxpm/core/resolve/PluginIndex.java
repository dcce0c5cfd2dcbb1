package dev.cxpm.core.resolve;

import java.util.List;

/**
 * What the resolver may choose from: every release of a plugin, from the marketplaces and registries
 * a project uses. An implementation decides which marketplace a name comes from; the resolver only
 * picks versions, so it stays pure and is tested from small text fixtures.
 */
@FunctionalInterface
public interface PluginIndex {

    /** Every release of this plugin, in any order; empty when no source knows the name. */
    List<PluginRelease> releases(String plugin);

    /** Releases left out of {@link #releases} because they are too young (see {@link ReleaseAge}), to explain a failure. */
    default List<HeldBack> heldBack(String plugin) {
        return List.of();
    }
}
