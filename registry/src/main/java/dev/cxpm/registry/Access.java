package dev.cxpm.registry;

import dev.cxpm.registry.api.Request;
import java.util.function.BiPredicate;

/**
 * Who may call a route: the registry's whole scope table, enforced by the router before any
 * handler runs. A scope says what a token may do; whether its user owns the plugin is the
 * registry's data, checked by {@link Registry} after this.
 */
enum Access {
    /** Reads: no token needed, and a stale or bad one is ignored. */
    ANYONE((c, r) -> true),
    /** Any valid token (who am I). */
    TOKEN((c, r) -> true),
    /** Publishing: a token that may publish some plugin; which one is known only from the archive, so {@link Registry#publish} checks the name. */
    PUBLISH((c, r) -> c.isAdmin() || c.isOwner() || c.scopes().stream().anyMatch(s -> s.startsWith(Caller.PUBLISH_PREFIX))),
    /** Releases of the plugin named in the path (yank, deprecate): {@code publish:PLUGIN}, {@code owner} or {@code admin}. */
    PUBLISH_PLUGIN((c, r) -> c.mayPublish(r.param(1))),
    /** The account (owners, tokens): {@code owner} or {@code admin}, never a {@code publish:} token. */
    OWNER((c, r) -> c.isAdmin() || c.isOwner()),
    /** The audit log: an {@code admin} token only. */
    ADMIN((c, r) -> c.isAdmin()),
    /** Revoking a token: an {@code owner} or {@code admin} token, or the token itself (a leaked CI token can retire itself). */
    OWNER_OR_THIS_TOKEN((c, r) -> c.isAdmin() || c.isOwner() || r.rawParam(1).equals(c.tokenId()));

    private final BiPredicate<Caller, Request> allows;

    Access(BiPredicate<Caller, Request> allows) {
        this.allows = allows;
    }

    boolean needsToken() {
        return this != ANYONE;
    }

    /** 403 unless the caller's scopes allow this request. */
    void check(Caller caller, Request request) {
        if (!allows.test(caller, request)) {
            throw new RegistryException(403, "forbidden", "your token's scopes (" + String.join(" ", caller.scopes())
                    + ") do not allow " + request.method() + " " + request.exchange().getRequestURI().getRawPath());
        }
    }
}
