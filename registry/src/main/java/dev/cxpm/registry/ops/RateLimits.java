package dev.cxpm.registry.ops;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests per client address and per token, as token buckets: each key may send {@code burst} requests at once and
 * then {@code perMinute} a minute. The buckets live in a map of at most {@link #MAX_KEYS} keys, least recently used
 * first out, and a bucket idle long enough to be full again is dropped (it is the same as none): so however many
 * addresses or tokens a client cycles through, the limiter's memory has a ceiling. Evicting a bucket only forgets
 * a debt: a client with more addresses than that can reset its own buckets, which is no more than those addresses
 * would get it anyway.
 */
public final class RateLimits {

    /** Keys remembered per kind (address, token): ~100 bytes each, a few MB at most. */
    public static final int MAX_KEYS = 50_000;

    /** A limit; {@code perMinute} 0 means none. */
    public record Rate(int perMinute, int burst) {
        public static final Rate NONE = new Rate(0, 0);

        public Rate {
            if (perMinute < 0 || burst < 0 || (perMinute > 0 && burst < 1)) {
                throw new IllegalArgumentException("a rate needs perMinute >= 0 and, when limited, a burst >= 1");
            }
        }

        boolean limited() {
            return perMinute > 0;
        }
    }

    private final Buckets addresses;
    private final Buckets tokens;

    public RateLimits(Rate perAddress, Rate perToken) {
        this(perAddress, perToken, MAX_KEYS, System::nanoTime);
    }

    RateLimits(Rate perAddress, Rate perToken, int maxKeys, LongSupplier nanoTime) {
        this.addresses = perAddress.limited() ? new Buckets(perAddress, maxKeys, nanoTime) : null;
        this.tokens = perToken.limited() ? new Buckets(perToken, maxKeys, nanoTime) : null;
    }

    /** 0 when a request from this address may go on, else the seconds until it may. */
    long address(String key) {
        return addresses == null ? 0 : addresses.take(key);
    }

    /** 0 when a request with this token may go on, else the seconds until it may. */
    long token(String tokenId) {
        return tokens == null ? 0 : tokens.take(tokenId);
    }

    /** Keys held now, for the test that one client cannot grow them without bound. */
    int addressKeys() {
        return addresses == null ? 0 : addresses.size();
    }

    static final class Buckets {
        private final double capacity;
        private final double perNano;
        private final long fullAfterNanos;
        private final int maxKeys;
        private final LongSupplier nanoTime;
        private final LinkedHashMap<String, Bucket> buckets;

        private static final class Bucket {
            double tokens;
            long at;

            Bucket(double tokens, long at) {
                this.tokens = tokens;
                this.at = at;
            }
        }

        Buckets(Rate rate, int maxKeys, LongSupplier nanoTime) {
            this.capacity = rate.burst();
            this.perNano = rate.perMinute() / 60e9;
            this.fullAfterNanos = (long) Math.ceil(capacity / perNano);
            this.maxKeys = maxKeys;
            this.nanoTime = nanoTime;
            this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                    return size() > Buckets.this.maxKeys;
                }
            };
        }

        synchronized long take(String key) {
            long now = nanoTime.getAsLong();
            dropOneIdle(now);
            Bucket b = buckets.get(key);
            if (b == null) {
                b = new Bucket(capacity, now);
                buckets.put(key, b);
            } else {
                b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perNano);
                b.at = now;
            }
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perNano / 1e9));
        }

        /** The least recently used bucket, if it has been idle long enough to be full again, is dropped. */
        private void dropOneIdle(long now) {
            Iterator<Bucket> eldest = buckets.values().iterator();
            if (eldest.hasNext() && now - eldest.next().at >= fullAfterNanos) {
                eldest.remove();
            }
        }

        synchronized int size() {
            return buckets.size();
        }
    }
}
