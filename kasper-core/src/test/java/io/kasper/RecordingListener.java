package io.kasper;

import java.util.List;
import java.util.Set;

/**
 * A {@link PartitionListener} that records its calls as {@code "assigned [0, 1]"} and {@code "revoked [0, 1]"},
 * optionally throwing an {@link IllegalStateException} after recording a revocation. Shared with kasper-it through
 * this module's test jar. Thread-safe when the list it records into is.
 */
public final class RecordingListener implements PartitionListener {

    private final List<String> calls;
    private final String revokeFailure; // the message to throw with, null for none

    private RecordingListener(List<String> calls, String revokeFailure) {
        this.calls = calls;
        this.revokeFailure = revokeFailure;
    }

    /** Returns a listener that records into {@code calls}. */
    public static PartitionListener into(List<String> calls) {
        return new RecordingListener(calls, null);
    }

    /** Returns a listener that records into {@code calls}, then throws an IllegalStateException on each revocation. */
    public static PartitionListener throwingOnRevoke(List<String> calls, String message) {
        return new RecordingListener(calls, message);
    }

    @Override
    public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
        calls.add("assigned " + partitionNumbers);
    }

    @Override
    public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
        calls.add("revoked " + partitionNumbers);
        if (revokeFailure != null) {
            throw new IllegalStateException(revokeFailure);
        }
    }
}
