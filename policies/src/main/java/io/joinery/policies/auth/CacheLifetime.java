package io.joinery.policies.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an answer may be kept, from its {@code Cache-Control} ({@code s-maxage}, else
 * {@code max-age}; {@code no-store} and {@code no-cache} mean not at all) or, without one, its
 * {@code Expires}: what bounds the JWK set's cache ({@link JwksSource}) and the authentication
 * hook's ({@link AuthHook}). Neither, or values that do not parse: empty.
 */
final class CacheLifetime {

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*(s-maxage|max-age)\\s*=\\s*\"?(\\d{1,10})\"?\\s*(?=,|$)");

    private CacheLifetime() {
    }

    static Optional<Duration> of(String cacheControl, String expires, Instant now) {
        if (cacheControl != null && !cacheControl.isBlank()) {
            String lower = cacheControl.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("no-store") || lower.contains("no-cache")) {
                return Optional.of(Duration.ZERO);
            }
            Long maxAge = null;
            Matcher matcher = MAX_AGE.matcher(lower);
            while (matcher.find()) {
                long seconds = Long.parseLong(matcher.group(2));
                if (matcher.group(1).equals("s-maxage") || maxAge == null) {
                    maxAge = seconds;
                }
            }
            if (maxAge != null) {
                return Optional.of(Duration.ofSeconds(maxAge));
            }
        }
        if (expires != null && !expires.isBlank()) {
            try {
                Instant at = ZonedDateTime.parse(expires.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException e) {
                // RFC 9111 5.3: an invalid Expires means "already expired"
                return Optional.of(Duration.ZERO);
            }
        }
        return Optional.empty();
    }
}
