package io.kasper.test;

/**
 * JUnit 5 extension that injects one shared {@link OpenSearchServer} into test and lifecycle method parameters.
 *
 * <p>The node is started on first use and shared by every test class of the same test run (root extension context
 * store), then stopped and deleted when the run ends. Tests sharing it must use distinct index names (for instance a
 * random prefix per test). Tests that stop it must start a node of their own with {@link OpenSearchServer#start()}.
 *
 * <pre>{@code
 * @ExtendWith(OpenSearchServerExtension.class)
 * class DocumentsIT {
 *     @Test
 *     void stores(OpenSearchServer openSearch) { ... openSearch.uri() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the node once).
 */
public final class OpenSearchServerExtension extends SharedServerExtension<OpenSearchServer> {

    /** Creates the extension; JUnit calls this. */
    public OpenSearchServerExtension() {
        super(OpenSearchServer.class, OpenSearchServer::start);
    }
}
