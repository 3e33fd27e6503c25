/**
 * Not API: the machinery behind {@code io.kasper.TopicProcessor} and the test kit's
 * {@code TopicProcessorTestDriver} (the event loop, batch assembly, the batch runner, commits, rebalances, the
 * broker watch). It may change in any release without notice; do not import it.
 *
 * <p>Two types are public, each the one entry point of one caller: {@link io.kasper.internal.ProcessorRuntime} for
 * {@code TopicProcessor} and {@link io.kasper.internal.TestDriverRuntime} for the test kit ({@code kasper-test});
 * every other type is package-private. The build enforces that no other module imports this package (Checkstyle
 * import control, {@code checkstyle/import-control.xml}), and it is left out of the Javadoc.
 */
package io.kasper.internal;
