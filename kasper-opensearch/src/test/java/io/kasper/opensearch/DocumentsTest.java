package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kasper.store.StoreException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentsTest {

    @Test
    void idIsTheKeyUnlessEmptyOrStartingWithTilde() {
        assertThat(Documents.id("a")).isEqualTo("a");
        assertThat(Documents.id("a~")).isEqualTo("a~");
        assertThat(Documents.id("")).isEqualTo("~");
        assertThat(Documents.id("~")).isEqualTo("~~");
        assertThat(Documents.id("~a")).isEqualTo("~~a");
    }

    @Test
    void idsOfDistinctKeysAreDistinct() {
        List<String> keys = List.of("", "~", "~~", "a", "~a", "~~a", "_a");
        assertThat(keys.stream().map(Documents::id).distinct()).hasSize(keys.size());
    }

    @Test
    void rejectsKeysLongerThan511Bytes() {
        assertThat(Documents.id("k".repeat(512))).hasSize(512);
        assertThatThrownBy(() -> Documents.id("é".repeat(257))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key of 514 UTF-8 bytes is too long: document ids are limited to 512 bytes");
    }

    @Test
    void rejectsDocumentsNotWrittenByKasper() {
        var source = JsonNodeFactory.instance.objectNode().put("title", "hello");
        assertThatThrownBy(() -> Documents.value(source, "docs", "k")).isInstanceOf(StoreException.class)
                .hasMessage("document 'k' in index 'docs' has no string field 'b64': not a Kasper value");
    }

    @Test
    void rejectsValueFieldThatIsNotBase64() {
        var source = JsonNodeFactory.instance.objectNode().put("b64", "not base64!");
        assertThatThrownBy(() -> Documents.value(source, "docs", "k")).isInstanceOf(StoreException.class)
                .hasMessage("document 'k' in index 'docs' has a field 'b64' that is not base64");
    }
}
