package io.joinery.admin.store;

import java.time.Instant;

/**
 * Whether a {@link MetadataWatcher} follows the store: {@code healthy} while it listens for changes
 * and its last read succeeded. {@code lastError} says why not (null when healthy), {@code since} is
 * when the health last changed, and {@code resourceVersion} is the version being served (-1 before
 * the first successful read). {@code notified} is false while notifications of changes do not reach
 * the listening connection, and the store is read every {@link MetadataWatcher#UNNOTIFIED_POLL}
 * instead (Note [Notifications that do not arrive] in {@link MetadataWatcher}). Meant for
 * {@code /health/ready} details.
 */
public record WatchStatus(boolean healthy, String lastError, Instant since, long resourceVersion, boolean notified) {
}
