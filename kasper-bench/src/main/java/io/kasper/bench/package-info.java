/**
 * The benchmark ({@link io.kasper.bench.Main}): Kasper against a hand-rolled loop, Kafka Streams and a Spring for
 * Apache Kafka batch listener, on a forked broker and Redis server. An application, not a library: nothing here is
 * API, and it uses only Kasper's API packages.
 */
package io.kasper.bench;
