package io.kasper.it;

/**
 * One {@code process()} call: who ran it, on which partition number, and when (wall-clock microseconds, comparable
 * across JVMs of one machine).
 */
record Span(String owner, int partition, long startMicros, long endMicros, int messages) {

    String toLine() {
        return owner + " " + partition + " " + startMicros + " " + endMicros + " " + messages;
    }

    /** Parses a line written by {@link #toLine()}; null for a torn line (the writer may have been killed). */
    static Span parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 5) {
            return null;
        }
        try {
            return new Span(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Integer.parseInt(f[4]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
