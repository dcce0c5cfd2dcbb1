package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class McpServerTest {
    @Test
    void requiredEnvNamesPlainAndBracedReferencesButNotThoseWithAFallback() {
        assertThat(McpServer.requiredEnv("Bearer ${GITHUB_TOKEN} and $SLACK_TOKEN"))
                .containsExactly("GITHUB_TOKEN", "SLACK_TOKEN");
        assertThat(McpServer.requiredEnv("${REGION:-us-east-1}/${STAGE-dev}")).isEmpty();
        assertThat(McpServer.requiredEnv("literal-value")).isEmpty();
    }
}
