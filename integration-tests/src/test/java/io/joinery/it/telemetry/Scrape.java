package io.joinery.it.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** One read of a sidecar's {@code /metrics}: each sample by its series (name and labels as printed). */
record Scrape(String text, Map<String, Double> samples) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Scrape of(URI metrics) {
        String text;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + metrics + ": " + response.statusCode());
            }
            text = response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return new Scrape(text, samples);
    }

    /** The value of a series, 0 when it does not exist (yet). */
    double value(String series) {
        return samples.getOrDefault(series, 0.0);
    }
}
