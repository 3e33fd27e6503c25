package io.kasper.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The size a message takes in Kasper's memory accounting: key bytes + value bytes + header bytes (each header's key
 * characters plus its value bytes); a null key, value or header value counts 0. With byte-array (de)serializers these
 * are the serialized sizes. Stateless, thread-safe.
 */
final class RecordSizes {

    private RecordSizes() {
    }

    static long of(ConsumerRecord<byte[], byte[]> record) {
        // The consumer records the serialized sizes in the record itself: reading them spares a load of the key's
        // and the value's arrays. A record built by hand may carry -1 (unknown) for a key or value it holds.
        int key = record.serializedKeySize();
        int value = record.serializedValueSize();
        return (key >= 0 ? key : length(record.key())) + (value >= 0 ? value : length(record.value()))
                + of(record.headers());
    }

    static long of(ProducerRecord<byte[], byte[]> record) {
        return length(record.key()) + length(record.value()) + of(record.headers());
    }

    private static long of(Headers headers) {
        if (headers == null) {
            return 0;
        }
        // toArray() of empty headers is a shared constant: no allocation on the usual, header-less message
        Header[] all = headers.toArray();
        long size = 0;
        for (Header h : all) {
            size += h.key().length() + length(h.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
