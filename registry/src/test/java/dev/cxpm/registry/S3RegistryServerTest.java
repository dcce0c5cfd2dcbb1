package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.S3BlobStore;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every registry test again with blobs in S3 (SQLite for metadata): a real S3 endpoint, S3Proxy
 * over an in-memory jclouds store, on 127.0.0.1, reached over HTTP with Signature V4. One proxy
 * for the class, a fresh bucket per test.
 */
class S3RegistryServerTest extends RegistryServerTest {

    private static final String ACCESS = "cxpm-test-access";
    private static final String SECRET = "cxpm-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Proxy proxy;
    private static BlobStoreContext context;
    private static URI endpoint;
    private String bucket;

    @BeforeAll
    static void startS3() throws Exception {
        context = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(5); // start() returns before Jetty is listening
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (context != null) {
            context.close();
        }
    }

    @Override
    protected BlobStore blobs() {
        if (bucket == null) {
            bucket = "cxpm-test-" + BUCKETS.incrementAndGet();
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        return new S3BlobStore("s3://" + bucket + "/registry/blobs", endpoint, "us-east-1", ACCESS, SECRET);
    }

    @Override
    protected Registry open() {
        return new Registry(JdbcDatabase.sqlite(data.resolve("registry.db")), blobs(), data.resolve("uploads"), Clock.systemUTC());
    }

    @Test
    void blobsAreObjectsUnderThePrefixAndAMissingOneIsAbsentNotAnError() {
        BlobStore s3 = blobs();
        byte[] content = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Integrity i = Integrity.sha512(content);
        assertThat(s3.exists(i)).isFalse();
        assertThat(s3.open(i)).isEmpty();
        s3.put(i, content);
        s3.put(i, content); // idempotent
        assertThat(context.getBlobStore().blobExists(bucket, "registry/blobs/" + i.hex() + ".tgz")).isTrue();
        assertThat(s3.list()).containsExactly(i);
        assertThat(s3.listWithTimes()).containsOnlyKeys(i);
        assertThat(s3.listWithTimes().get(i)).as("LastModified, for gc's grace period")
                .isBetween(java.time.Instant.now().minusSeconds(120), java.time.Instant.now().plusSeconds(120));
        s3.delete(i);
        s3.delete(i); // deleting what is gone is fine
        assertThat(s3.exists(i)).isFalse();
    }

    /** A HEAD answers 404 alike for a missing key and a missing bucket: readiness must not take a bucket gone for "ok". */
    @Test
    void readyzNamesTheBlobStoreUnreachableWhenTheBucketIsGone() throws Exception {
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        context.getBlobStore().deleteContainer(bucket);
        Thread.sleep(600); // past the reuse of the last result
        HttpResponse<String> r = get("/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"blobs\":\"unreachable\"").doesNotContain(bucket);
    }

    @Test
    void wrongSecretIsRefusedBySignatureCheck() {
        blobs();
        BlobStore bad = new S3BlobStore("s3://" + bucket + "/x", endpoint, "us-east-1", ACCESS, "wrong");
        org.assertj.core.api.Assertions.assertThatThrownBy(bad::list).hasMessageContaining("403");
    }
}
