package io.kasper;

/**
 * The first and last offset (both inclusive) of the messages of one topic-partition in a batch.
 *
 * @param first offset of the first message
 * @param last offset of the last message
 */
public record OffsetRange(long first, long last) {

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
