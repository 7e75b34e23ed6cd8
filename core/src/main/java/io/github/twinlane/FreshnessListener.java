package io.github.twinlane;

/**
 * Hears a channel's data go stale (older than the channel's {@code maxDataAge}) and recover.
 *
 * <p>Threading: called on the runtime's supervisor thread; keep it short. An exception it throws is
 * logged and ignored.
 */
@FunctionalInterface
public interface FreshnessListener {
    /**
     * The data's freshness changed.
     *
     * @param channel the channel's name
     * @param fresh true when fresh data arrived again, false when the newest value passed the age limit
     * @param ageNanos the newest value's age now (since the channel opened if it never produced one)
     */
    void onFreshness(String channel, boolean fresh, long ageNanos);
}
