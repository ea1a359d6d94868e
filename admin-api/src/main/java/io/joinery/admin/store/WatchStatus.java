package io.joinery.admin.store;

import java.time.Instant;

/**
 * Whether a {@link MetadataWatcher} follows the store: {@code healthy} while it listens for changes
 * and its last read succeeded. {@code lastError} says why not (null when healthy), {@code since} is
 * when the health last changed, and {@code resourceVersion} is the version being served (-1 before
 * the first successful read). Meant for {@code /health/ready} details.
 */
public record WatchStatus(boolean healthy, String lastError, Instant since, long resourceVersion) {
}
