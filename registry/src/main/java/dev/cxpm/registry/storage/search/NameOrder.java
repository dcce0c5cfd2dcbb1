package dev.cxpm.registry.storage.search;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each indexed plugin's place in name order, as a number: search breaks ties between equal scores by name (as FTS5's
 * order did), and plugins that score alike are common, so a tie compares two longs where it compared two strings
 * (each behind two pointers). A new name takes the middle of the gap between its neighbours' places; only when a gap
 * is used up are all renumbered (linear, rare: names arrive in any order, and each gap holds about 20 halvings).
 * Not thread-safe: {@link SearchIndex} calls it under its lock.
 */
final class NameOrder {

    private static final long GAP = 1L << 20;

    private final TreeMap<String, Integer> slots = new TreeMap<>();
    private long[] places = new long[1024];

    /** Gives the slot its place for this name; {@code old} is the name it had (null: a new slot). */
    void place(int slot, String name, String old) {
        if (name.equals(old)) {
            return;
        }
        if (old != null) {
            slots.remove(old, slot);
        }
        if (slot >= places.length) {
            places = Arrays.copyOf(places, Math.max(slot + 1, places.length * 2));
        }
        slots.put(name, slot);
        Map.Entry<String, Integer> lower = slots.lowerEntry(name);
        Map.Entry<String, Integer> higher = slots.higherEntry(name);
        if (lower == null && higher == null) {
            places[slot] = 0;
        } else if (lower == null) {
            places[slot] = places[higher.getValue()] - GAP;
        } else if (higher == null) {
            places[slot] = places[lower.getValue()] + GAP;
        } else {
            long low = places[lower.getValue()];
            long high = places[higher.getValue()];
            if (high - low > 1) {
                places[slot] = low + (high - low) / 2;
            } else {
                long place = 0;
                for (int s : slots.values()) {
                    places[s] = place;
                    place += GAP;
                }
            }
        }
    }

    /** The places by slot: a slot's name sorts before another's exactly when its place is lower. */
    long[] places() {
        return places;
    }

    void clear() {
        slots.clear();
        places = new long[1024];
    }
}
