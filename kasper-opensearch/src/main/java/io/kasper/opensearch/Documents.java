package io.kasper.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.kasper.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * How keys and values are laid out as documents.
 *
 * <p><b>Ids:</b> a key is its document's {@code _id}, except the empty key and keys starting with {@code ~}, which get
 * a {@code ~} in front ({@code ""} is {@code "~"}, {@code "~a"} is {@code "~~a"}): OpenSearch rejects empty ids, and
 * the mapping stays injective. Ids are limited to 512 bytes, so keys are limited to 511 UTF-8 bytes.
 *
 * <p><b>Values:</b> a value is opaque bytes, so it is stored base64-encoded in the document {@code {"b64": "..."}}
 * (a {@code binary} field: kept in {@code _source}, not indexed). Any bytes round-trip, JSON or not. Thread-safe
 * (stateless).
 */
final class Documents {

    /** The field holding the value. */
    static final String VALUE_FIELD = "b64";
    /** The mapping of Kasper's indices: the value field is binary, other fields are not indexed. */
    static final Map<String, Object> MAPPING = Map.of("dynamic", false,
            "properties", Map.of(VALUE_FIELD, Map.of("type", "binary")));
    private static final int MAX_ID_BYTES = 512;

    private Documents() {
    }

    /**
     * Returns the document id of a key.
     *
     * @param key the key
     * @return the id
     * @throws IllegalArgumentException when the id would exceed 512 bytes
     */
    static String id(String key) {
        String id = key.isEmpty() || key.charAt(0) == '~' ? "~" + key : key;
        if (id.length() * 3 > MAX_ID_BYTES && id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("key of " + key.getBytes(StandardCharsets.UTF_8).length
                    + " UTF-8 bytes is too long: document ids are limited to " + MAX_ID_BYTES + " bytes");
        }
        return id;
    }

    /**
     * Reads the value out of a document's {@code _source}.
     *
     * @param source the {@code _source}
     * @param index the index, for messages
     * @param id the id, for messages
     * @return the value
     * @throws StoreException when the document has no base64 {@code b64} field (it was not written by Kasper)
     */
    static byte[] value(JsonNode source, String index, String id) {
        JsonNode field = source == null ? null : source.get(VALUE_FIELD);
        if (field == null || !field.isTextual()) {
            throw new StoreException("document '" + id + "' in index '" + index + "' has no string field '"
                    + VALUE_FIELD + "': not a Kasper value");
        }
        try {
            return Base64.getDecoder().decode(field.textValue());
        } catch (IllegalArgumentException e) {
            throw new StoreException("document '" + id + "' in index '" + index + "' has a field '" + VALUE_FIELD
                    + "' that is not base64", e);
        }
    }
}
