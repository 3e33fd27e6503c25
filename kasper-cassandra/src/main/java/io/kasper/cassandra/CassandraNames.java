package io.kasper.cassandra;

import java.util.regex.Pattern;

/**
 * Names in Cassandra: identifiers, row keys, tenant tables. Thread-safe (stateless).
 *
 * <p><b>Identifiers</b> (keyspaces, tables) are {@code [a-z][a-z0-9_]*}, at most 48 characters. <b>Row keys:</b>
 * Cassandra rejects an empty partition key, so the empty key and keys starting with {@code ~} get a {@code ~} in
 * front. <b>Tenant tables:</b> tenant {@code t} of prefix {@code p} is table {@code p_{t escaped}}: {@code a-z 0-9}
 * are kept, every other UTF-16 code unit (the underscore included) becomes {@code _xxxx} in lowercase hex.
 */
final class CassandraNames {

    static final int MAX_IDENTIFIER = 48;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");

    private CassandraNames() {
    }

    /** Returns what is wrong with an identifier ("must ..."), or null when it is valid. */
    static String identifierProblem(String name) {
        if (name == null) {
            return "must be set";
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            return "must match [a-z][a-z0-9_]*";
        }
        if (name.length() > MAX_IDENTIFIER) {
            return "must be at most " + MAX_IDENTIFIER + " characters";
        }
        return null;
    }

    /** Returns the row key of a key. */
    static String rowKey(String key) {
        return key.isEmpty() || key.charAt(0) == '~' ? "~" + key : key;
    }

    /**
     * Returns the table of a tenant.
     *
     * @throws IllegalArgumentException when the name would exceed 48 characters
     */
    static String tenantTable(String prefix, String tenant) {
        StringBuilder table = new StringBuilder(prefix).append('_');
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                table.append(c);
            } else {
                table.append('_').append(String.format("%04x", (int) c));
            }
        }
        if (table.length() > MAX_IDENTIFIER) {
            throw new IllegalArgumentException("tenant '" + tenant + "' makes table name '" + table + "' longer than "
                    + MAX_IDENTIFIER + " characters");
        }
        return table.toString();
    }

    /** Returns the tenant of a table, or null when the table is not a tenant table of the prefix. */
    static String tenantOf(String prefix, String table) {
        String start = prefix + "_";
        if (!table.startsWith(start) || table.length() == start.length()) {
            return null;
        }
        StringBuilder tenant = new StringBuilder();
        for (int i = start.length(); i < table.length(); i++) {
            char c = table.charAt(i);
            if (c != '_') {
                tenant.append(c);
                continue;
            }
            if (i + 5 > table.length()) {
                return null;
            }
            try {
                tenant.append((char) Integer.parseInt(table.substring(i + 1, i + 5), 16));
            } catch (NumberFormatException notOurs) {
                return null;
            }
            i += 4;
        }
        return tenant.indexOf("/") >= 0 ? null : tenant.toString();
    }
}
