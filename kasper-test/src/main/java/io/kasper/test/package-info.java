/**
 * The test kit, for the tests of applications and of Kasper itself: {@link io.kasper.test.TopicProcessorTestDriver}
 * unit-tests a {@code MessageProcessor} without a broker; {@link io.kasper.test.RunningTopicProcessor} runs a real
 * loop on its own thread; {@link io.kasper.test.KafkaBroker}, {@link io.kasper.test.RedisServer},
 * {@link io.kasper.test.OpenSearchServer} and {@link io.kasper.test.CassandraServer} start real servers, shared across
 * a test run by their JUnit 5 extensions.
 *
 * <p>Use it from test code only. The test driver is the one place outside kasper-core allowed to reach
 * {@code io.kasper.internal}, through {@code TestDriverRuntime}, so that it runs the loop's own batching code.
 */
package io.kasper.test;
