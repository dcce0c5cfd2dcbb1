package dev.cxpm.core.init;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void wellKnownTokenFormatsAreSecretsWhateverTheirName() {
        assertThat(Secrets.isLiteralSecret("X", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")).isTrue();
        assertThat(Secrets.isLiteralSecret("X", "github_pat_11ABCDEFG0123456789")).isTrue();
        assertThat(Secrets.isLiteralSecret("X", "sk-proj-abcdef123456")).isTrue();
        assertThat(Secrets.isLiteralSecret("X", "xoxb-1234-5678-abcdef")).isTrue();
        assertThat(Secrets.isLiteralSecret("X", "AKIAIOSFODNN7EXAMPLE")).isTrue();
        assertThat(Secrets.isLiteralSecret("X", "glpat-abcdefghijklmnop")).isTrue();
    }

    @Test
    void secretSoundingNamesWithALiteralValueAreSecrets() {
        assertThat(Secrets.isLiteralSecret("API_KEY", "hunter2hunter2")).isTrue();
        assertThat(Secrets.isLiteralSecret("DB_PASSWORD", "correcthorse")).isTrue();
        assertThat(Secrets.isLiteralSecret("SLACK_BOT_TOKEN", "abc123def")).isTrue();
        assertThat(Secrets.isLiteralSecret("client_secret", "s3cr3tvalue")).isTrue();
    }

    @Test
    void longHighEntropyValuesAreSecrets() {
        assertThat(Secrets.isLiteralSecret("UPSTREAM", "q8Zr3LmX0vT7nB2wK9sD4fH6jP1cY5eA")).isTrue();
    }

    @Test
    void referencesAndOrdinarySettingsAreNotSecrets() {
        assertThat(Secrets.isLiteralSecret("GITHUB_TOKEN", "${GITHUB_TOKEN}")).isFalse();
        assertThat(Secrets.isLiteralSecret("GITHUB_TOKEN", "$GITHUB_TOKEN")).isFalse();
        assertThat(Secrets.isLiteralSecret("SLACK_TEAM_ID", "T01234567")).isFalse();
        assertThat(Secrets.isLiteralSecret("AUTH_MODE", "oauth")).isFalse();
        assertThat(Secrets.isLiteralSecret("TOKEN_URL", "https://example.com/oauth/token")).isFalse();
        assertThat(Secrets.isLiteralSecret("LOG_LEVEL", "debug")).isFalse();
        assertThat(Secrets.isLiteralSecret("BASE_URL", "https://api.example.com/v1/abcdef0123456789")).isFalse();
        assertThat(Secrets.isLiteralSecret("KEY_FILE", "/home/me/.ssh/id_ed25519")).isFalse();
        assertThat(Secrets.isLiteralSecret("API_KEY", "")).isFalse();
    }

    @Test
    void tokenInsideAnArgumentIsFound() {
        assertThat(Secrets.tokenIn("--token=ghp_abcdefghijklmnop")).contains("ghp_abcdefghijklmnop");
        assertThat(Secrets.tokenIn("--verbose")).isEmpty();
    }

    @Test
    void credentialInAnAuthorizationHeaderIsFoundWithoutItsScheme() {
        assertThat(Secrets.headerSecret("Authorization", "Bearer abcdef123456")).contains("abcdef123456");
        assertThat(Secrets.headerSecret("X-Api-Key", "k3yk3yk3yk3y")).contains("k3yk3yk3yk3y");
        assertThat(Secrets.headerSecret("Authorization", "Bearer ${API_TOKEN}")).isEmpty();
        assertThat(Secrets.headerSecret("Accept", "application/json")).isEmpty();
    }
}
