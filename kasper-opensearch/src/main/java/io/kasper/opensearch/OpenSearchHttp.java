package io.kasper.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasper.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sends JSON requests to the cluster over {@link HttpClient} (HTTP/1.1) and parses the responses with Jackson.
 *
 * <p>Any status other than 2xx, except those the caller allows, is a {@link StoreException} carrying the method, path,
 * status and the start of the body, retriable for the statuses {@link OpenSearchFailures#isTransientStatus} names. An
 * I/O failure of the exchange is an {@link UncheckedIOException}. Thread-safe: the {@link HttpClient} and
 * {@link ObjectMapper} are.
 */
final class OpenSearchHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_IN_MESSAGE = 500;

    private final URI base;
    private final String authorization;
    private final OpenSearchStoreConfig config;
    private final HttpClient client;

    OpenSearchHttp(OpenSearchStoreConfig config) {
        this.config = config;
        this.base = config.uri();
        this.authorization = config.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
    }

    /**
     * Sends a request and returns the parsed JSON body.
     *
     * @param method the method
     * @param path the path (already encoded) and query
     * @param body the body, or null for none
     * @param contentType the body's type
     * @param allowedStatus a non-2xx status whose body is returned rather than thrown, or 0
     * @return the response
     * @throws StoreException on any other status or an interrupt
     * @throws UncheckedIOException on an I/O failure or a timeout
     */
    Response send(String method, String path, byte[] body, String contentType, int allowedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted during " + method + " " + path, e);
        }
        int status = response.statusCode();
        if ((status < 200 || status > 299) && status != allowedStatus) {
            throw new StoreException(method + " " + path + " returned HTTP " + status + ": "
                    + excerpt(response.body()), null, OpenSearchFailures.isTransientStatus(status));
        }
        try {
            JsonNode json = response.body().length == 0 ? JSON.missingNode() : JSON.readTree(response.body());
            return new Response(status, json);
        } catch (IOException e) {
            throw new StoreException(method + " " + path + " returned HTTP " + status + " with a body that is not "
                    + "JSON: " + excerpt(response.body()), e);
        }
    }

    /**
     * Sends a JSON request.
     *
     * @see #send(String, String, byte[], String, int)
     */
    Response sendJson(String method, String path, Object body, int allowedStatus) {
        try {
            byte[] bytes = body == null ? null : JSON.writeValueAsBytes(body);
            return send(method, path, bytes, "application/json", allowedStatus);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the body of " + method + " " + path, e);
        }
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= BODY_IN_MESSAGE ? text : text.substring(0, BODY_IN_MESSAGE) + "...";
    }

    /**
     * A response.
     *
     * @param status the HTTP status
     * @param json the parsed body (a missing node when empty)
     */
    record Response(int status, JsonNode json) {
    }
}
