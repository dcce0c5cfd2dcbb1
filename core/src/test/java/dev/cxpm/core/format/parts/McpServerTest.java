package dev.cxpm.core.format.parts;

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

    @Test
    void pathCommandIsTheTrimmedCommandUnlessItIsAPathOrAVariable() {
        assertThat(McpServer.pathCommand(" npx ")).contains("npx");
        assertThat(McpServer.pathCommand("./bin/server")).isEmpty();
        assertThat(McpServer.pathCommand("/usr/bin/node")).isEmpty();
        assertThat(McpServer.pathCommand("C:\\tools\\srv.exe")).isEmpty();
        assertThat(McpServer.pathCommand("${SERVER_BIN}")).isEmpty();
        assertThat(McpServer.pathCommand("$HOME")).isEmpty();
        assertThat(McpServer.pathCommand(" ")).isEmpty();
        assertThat(McpServer.pathCommand(null)).isEmpty();
    }

    @Test
    void envReferencesAreParsedWithTheirFallbacks() {
        assertThat(EnvReference.in("${A} $B_2 ${C:-x} ${D-y} ${E:?msg}")).containsExactly(new EnvReference("A", false),
                new EnvReference("B_2", false), new EnvReference("C", true), new EnvReference("D", true),
                new EnvReference("E", false));
        assertThat(EnvReference.required("${C:-x} and ${A} and $A")).containsExactly("A");
        assertThat(EnvReference.any("plain $ 5")).isFalse();
        assertThat(EnvReference.any("Bearer ${T}")).isTrue();
    }
}
