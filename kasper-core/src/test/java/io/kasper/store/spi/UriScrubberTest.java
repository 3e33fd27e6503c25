package io.kasper.store.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UriScrubberTest {

    @Test
    void hidesUserAndPassword() {
        assertThat(UriScrubber.scrub("redis://user:s3cret@host:6379/0")).isEqualTo("redis://***@host:6379/0");
        assertThat(UriScrubber.scrub("redis://:s3cret@host:6379/notadb")).isEqualTo("redis://***@host:6379/notadb");
        assertThat(UriScrubber.scrub("https://kasper:s3cret@search:9200")).isEqualTo("https://***@search:9200");
    }

    @Test
    void leavesUrisWithoutUserInfoAlone() {
        assertThat(UriScrubber.scrub("redis://host:6379/0")).isEqualTo("redis://host:6379/0");
        assertThat(UriScrubber.scrub("localhost:6379")).isEqualTo("localhost:6379");
        assertThat(UriScrubber.scrub("")).isEmpty();
        assertThat(UriScrubber.scrub(null)).isNull();
    }

    @Test
    void hidesUserInfoWithoutSchemeOrWithUnescapedDelimiters() {
        assertThat(UriScrubber.scrub("user:s3cret@host:9042")).isEqualTo("***@host:9042");
        assertThat(UriScrubber.scrub("redis://:pa/ss@w?rd#x@host:6379/0")).isEqualTo("redis://***@host:6379/0");
        assertThat(UriScrubber.scrub("u:s3cret@host/x://y")).isEqualTo("***@host/x://y");
        assertThat(UriScrubber.scrub("redis://:s3cret word@host")).isEqualTo("redis://***@host");
    }

    @Test
    void hidesTheUriAndItsUserInfoInsideAMessage() {
        String uri = "redis://:s3cret%21pw@host:6379/0 x";
        String message = "Illegal character in authority at index 8: " + uri + " (user-info ':s3cret%21pw', "
                + "decoded ':s3cret!pw')";

        assertThat(UriScrubber.scrubIn(message, uri)).isEqualTo("Illegal character in authority at index 8: "
                + "redis://***@host:6379/0 x (user-info '***', decoded '***')");
    }

    @Test
    void leavesMessagesAloneWhenTheUriHasNoSecret() {
        assertThat(UriScrubber.scrubIn("For input string: \"x:y\"", "redis://host:6379/x")).isEqualTo(
                "For input string: \"x:y\"");
        assertThat(UriScrubber.scrubIn("bad redis://:@host", "redis://:@host")).isEqualTo("bad redis://***@host");
        assertThat(UriScrubber.scrubIn(null, "redis://u:p@h")).isNull();
    }
}
