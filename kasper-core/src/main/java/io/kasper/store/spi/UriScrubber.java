package io.kasper.store.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Hides the credentials of a connection URI before it is shown in a message, a log line or a {@code toString}:
 * {@code redis://user:secret@host:6379/0} becomes {@code redis://***@host:6379/0}. Store adapters pass every URI (or
 * contact point) a user gave them through it before quoting it, valid or not, since a typo must not put a password in
 * the logs.
 *
 * <p>The user-info is taken to be everything between the scheme's {@code ://} (or the start, without a scheme) and
 * the last {@code '@'}: a password holding an unescaped {@code '/'}, {@code '?'}, {@code '#'} or {@code '@'} is still
 * hidden whole, at the price of hiding a little more in the rare URI whose path holds an {@code '@'}.
 *
 * <p>Stateless: thread-safe.
 */
public final class UriScrubber {

    /** What replaces the user-info. */
    public static final String HIDDEN = "***";

    private UriScrubber() {
    }

    /**
     * Returns the URI with its user-info replaced by {@value #HIDDEN}; unchanged when it holds none.
     *
     * @param uri a URI, valid or not, or null
     * @return the URI safe to show, or null for null
     */
    public static String scrub(String uri) {
        if (uri == null) {
            return null;
        }
        int at = uri.lastIndexOf('@');
        if (at < 0) {
            return uri;
        }
        return uri.substring(0, userInfoStart(uri, at)) + HIDDEN + uri.substring(at);
    }

    /**
     * Returns {@code text} (a message that may quote {@code uri}, such as a URI parser's) with {@code uri} shown as
     * {@link #scrub(String)} shows it, and any other occurrence of its user-info, as written or percent-decoded,
     * replaced by {@value #HIDDEN}.
     *
     * @param text the text, or null
     * @param uri the URI whose credentials must not appear, or null
     * @return the text safe to show, or null for null
     */
    public static String scrubIn(String text, String uri) {
        if (text == null || uri == null) {
            return text;
        }
        String userInfo = userInfo(uri);
        if (userInfo.replace(":", "").isEmpty()) {
            return text.replace(uri, scrub(uri)); // no secret to look for elsewhere
        }
        String result = text.replace(uri, scrub(uri)).replace(userInfo, HIDDEN);
        String decoded = decode(userInfo);
        return decoded.isEmpty() ? result : result.replace(decoded, HIDDEN);
    }

    /** Returns the user-info of {@code uri} as written, or "" when it has none. */
    static String userInfo(String uri) {
        int at = uri.lastIndexOf('@');
        return at < 0 ? "" : uri.substring(userInfoStart(uri, at), at);
    }

    /** Where the user-info starts: after the scheme's "://" when that comes before the '@', else at the start. */
    private static int userInfoStart(String uri, int at) {
        int scheme = uri.indexOf("://");
        return scheme >= 0 && scheme < at ? scheme + 3 : 0;
    }

    private static String decode(String userInfo) {
        try {
            // a '+' is a plus in a URI's user-info, not the space of a form
            return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return "";
        }
    }
}
