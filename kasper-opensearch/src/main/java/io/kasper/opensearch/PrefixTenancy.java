package io.kasper.opensearch;

import java.nio.charset.StandardCharsets;

/** The default {@link OpenSearchTenancy}: {@code {prefix}-{escaped tenant}}. Immutable, thread-safe. */
final class PrefixTenancy implements OpenSearchTenancy {

    private final String prefix;

    PrefixTenancy(String prefix) {
        String problem = IndexNames.problem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException("index prefix " + problem + ", was '" + prefix + "'");
        }
        this.prefix = prefix + "-";
    }

    @Override
    public String index(String tenant) {
        StringBuilder index = new StringBuilder(prefix);
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
                index.append(c);
            } else {
                index.append('+').append(String.format("%04x", (int) c));
            }
        }
        String name = index.toString();
        if (name.getBytes(StandardCharsets.UTF_8).length > IndexNames.MAX_BYTES) {
            throw new IllegalArgumentException("tenant '" + tenant + "' makes index name '" + name + "' longer than "
                    + IndexNames.MAX_BYTES + " bytes");
        }
        return name;
    }

    @Override
    public String tenant(String index) {
        if (!index.startsWith(prefix) || index.length() == prefix.length()) {
            return null;
        }
        StringBuilder tenant = new StringBuilder();
        for (int i = prefix.length(); i < index.length(); i++) {
            char c = index.charAt(i);
            if (c != '+') {
                tenant.append(c);
                continue;
            }
            if (i + 5 > index.length()) {
                return null;
            }
            try {
                tenant.append((char) Integer.parseInt(index.substring(i + 1, i + 5), 16));
            } catch (NumberFormatException notOurs) {
                return null;
            }
            i += 4;
        }
        return tenant.indexOf("/") >= 0 ? null : tenant.toString();
    }

    @Override
    public String indexPattern() {
        return prefix + "*";
    }

    @Override
    public String toString() {
        return indexPattern();
    }
}
