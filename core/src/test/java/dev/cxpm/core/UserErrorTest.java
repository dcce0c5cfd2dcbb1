package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class UserErrorTest {

    @Test
    void fileSystemFailuresWithoutAHintGetOneFromTheirCause() {
        UserError full = new UserError(UserError.Kind.IO, "cannot copy a to b", null,
                new java.io.UncheckedIOException(new FileSystemException("a", "b", "No space left on device")));
        assertThat(full.hint()).startsWith("the disk is full");
        UserError denied = new UserError(UserError.Kind.IO, "cannot write x", null, new AccessDeniedException("x"));
        assertThat(denied.hint()).contains("permissions");
    }

    @Test
    void aHintGivenByTheCallerOrAnotherKindIsLeftAlone() {
        assertThat(new UserError(UserError.Kind.IO, "m", "do this", new AccessDeniedException("x")).hint()).isEqualTo("do this");
        assertThat(new UserError(UserError.Kind.NETWORK, "m", null, new AccessDeniedException("x")).hint()).isNull();
        assertThat(new UserError(UserError.Kind.IO, "m", null, new FileSystemException("x", null, "Input/output error")).hint()).isNull();
    }

    @Test
    void networkFailuresAreNamedInWordsNotExceptionTypes() {
        assertThat(UserError.reason(new java.net.ConnectException())).isEqualTo("connection refused");
        assertThat(UserError.reason(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo("connection timed out");
        assertThat(UserError.reason(new java.net.UnknownHostException("registry.invalid"))).isEqualTo("unknown host registry.invalid");
        assertThat(UserError.reason(new java.io.IOException("stream closed"))).isEqualTo("stream closed");
        assertThat(UserError.reason(new java.io.EOFException())).isEqualTo("EOFException");
    }
}
