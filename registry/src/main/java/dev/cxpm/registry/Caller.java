package dev.cxpm.registry;

import dev.cxpm.registry.publish.PublishedPlugin;
import java.util.List;

/**
 * Who is making a request, as proven by a token: a user name and the token's scopes.
 * Scopes: {@code admin} (everything), {@code owner} (the user's account: publish, yank and
 * deprecate every plugin the user owns, create new plugins, change owners, make, list and
 * revoke the user's tokens), {@code publish:NAME} (publish, yank and deprecate NAME only;
 * creates NAME when it does not exist yet). {@link Access} maps them onto the routes. {@code remote} is where the
 * request came from, as {@code RegistryServer} decided (null outside a request).
 */
public record Caller(String user, List<String> scopes, String tokenId, String remote) {

    /** A caller not known to come from anywhere in particular (seeding, tests). */
    public Caller(String user, List<String> scopes, String tokenId) {
        this(user, scopes, tokenId, null);
    }

    /** The same caller, seen coming from {@code remote} (the address the audit log records). */
    public Caller from(String remote) {
        return new Caller(user, scopes, tokenId, remote);
    }

    public static final String ADMIN = "admin";
    public static final String OWNER = "owner";
    public static final String PUBLISH_PREFIX = "publish:";

    public boolean isAdmin() {
        return scopes.contains(ADMIN);
    }

    public boolean isOwner() {
        return scopes.contains(OWNER);
    }

    /** Whether the token's scope covers publishing this plugin (ownership is checked separately). */
    public boolean mayPublish(String plugin) {
        return isAdmin() || isOwner() || scopes.contains(PUBLISH_PREFIX + plugin);
    }

    /** Whether this caller may hand out a token with the given scope. */
    public boolean mayGrant(String scope) {
        if (isAdmin()) {
            return true;
        }
        if (scope.equals(ADMIN)) {
            return false;
        }
        return isOwner();
    }

    static boolean isValidScope(String scope) {
        return scope.equals(ADMIN) || scope.equals(OWNER)
                || (scope.startsWith(PUBLISH_PREFIX) && PublishedPlugin.isName(scope.substring(PUBLISH_PREFIX.length())));
    }
}
