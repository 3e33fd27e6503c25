package io.kasper.opensearch;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The rules OpenSearch and Elasticsearch impose on index names. Thread-safe (stateless). */
final class IndexNames {

    static final int MAX_BYTES = 255;
    private static final String FORBIDDEN = "\\/*?\"<>| ,#:";

    private IndexNames() {
    }

    /**
     * Checks an index name.
     *
     * @param name the name, possibly null
     * @return what is wrong ("must ..."), or null when the name is valid
     */
    static String problem(String name) {
        if (name == null) {
            return "must be set";
        }
        if (name.isEmpty()) {
            return "must not be empty";
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            return "must be lowercase";
        }
        if (name.startsWith("-") || name.startsWith("_") || name.startsWith("+")) {
            return "must not start with '-', '_' or '+'";
        }
        if (name.equals(".") || name.equals("..")) {
            return "must not be '.' or '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            if (FORBIDDEN.indexOf(name.charAt(i)) >= 0) {
                return "must not contain any of \\ / * ? \" < > | , # : or a space";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "must be at most " + MAX_BYTES + " bytes";
        }
        return null;
    }
}
