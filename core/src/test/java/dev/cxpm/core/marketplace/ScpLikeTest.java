package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScpLikeTest {
    @Test
    void aGitUrlInScpsFormIsASourceWhenItHasAPathAndNamesItsHostEitherWay() {
        assertThat(ScpLike.isUrl("git@github.com:acme/market.git")).isTrue();
        assertThat(ScpLike.host("git@GitHub.com:acme/market.git")).contains("GitHub.com");
        assertThat(ScpLike.isUrl("git@github.com:")).as("no path: nothing to clone").isFalse();
        assertThat(ScpLike.host("git@github.com:")).contains("github.com");
        for (String notOne : new String[] {"./market", "acme/market", "https://github.com/acme/market.git", "@host:path", "git@:path",
                "git@ho st:path", "git@host/x:path", "g!t@host:path"}) {
            assertThat(ScpLike.isUrl(notOne)).as(notOne).isFalse();
            assertThat(ScpLike.host(notOne)).as(notOne).isEmpty();
        }
    }
}
