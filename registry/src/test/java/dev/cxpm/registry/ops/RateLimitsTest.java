package dev.cxpm.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.ops.RateLimits.Rate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves: bursts, refill, the wait they tell, and the ceiling on their memory. */
class RateLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstPassesThenTheWaitIsUntilTheNextTokenAndRefillLetsItThrough() {
        RateLimits limits = new RateLimits(new Rate(30, 3), Rate.NONE, 100, now::get);
        assertThat(limits.address("a")).isZero();
        assertThat(limits.address("a")).isZero();
        assertThat(limits.address("a")).isZero();
        assertThat(limits.address("a")).as("30 a minute: one every 2 s").isEqualTo(2);
        assertThat(limits.address("b")).as("another address has its own bucket").isZero();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(limits.address("a")).as("half a second left, rounded up").isEqualTo(1);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(limits.address("a")).isZero();
        assertThat(limits.address("a")).isEqualTo(2);
        assertThat(limits.token("any")).as("no token limit set").isZero();
    }

    @Test
    void aHundredThousandDistinctKeysKeepTheMapAtItsCeiling() {
        RateLimits limits = new RateLimits(new Rate(60, 5), Rate.NONE);
        for (int i = 0; i < 100_000; i++) {
            assertThat(limits.address("198.51." + (i >> 8) + "." + (i & 255) + "/" + i)).isZero();
        }
        assertThat(limits.addressKeys()).isEqualTo(RateLimits.MAX_KEYS);
    }

    @Test
    void aBucketIdleLongEnoughToBeFullAgainIsForgotten() {
        RateLimits limits = new RateLimits(new Rate(60, 5), Rate.NONE, 1000, now::get);
        for (int i = 0; i < 500; i++) {
            limits.address("k" + i);
        }
        assertThat(limits.addressKeys()).isEqualTo(500);
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        for (int i = 0; i < 500; i++) {
            limits.address("fresh");
        }
        assertThat(limits.addressKeys()).as("every idle bucket dropped, one per request").isEqualTo(1);
    }

    @Test
    void forwardedValuesAreAddressesOnlyNeverNamesAndIpv6IsKeyedByItsSlash64() {
        assertThat(ClientAddress.literal("198.51.100.7")).isNotNull();
        assertThat(ClientAddress.literal("2001:db8::1")).isNotNull();
        assertThat(ClientAddress.literal("localhost")).isNull();
        assertThat(ClientAddress.literal("deadbeef")).as("hex, but no address").isNull();
        assertThat(ClientAddress.literal("1.2.3.4:80")).isNull();
        assertThat(ClientAddress.literal("")).isNull();
        assertThat(ClientAddress.limitKey(ClientAddress.literal("2001:db8:1:2::1")))
                .isEqualTo(ClientAddress.limitKey(ClientAddress.literal("2001:db8:1:2:ffff::9")))
                .isNotEqualTo(ClientAddress.limitKey(ClientAddress.literal("2001:db8:1:3::1")));
        assertThat(ClientAddress.limitKey(ClientAddress.literal("::ffff:198.51.100.7"))).isEqualTo("198.51.100.7");
    }
}
