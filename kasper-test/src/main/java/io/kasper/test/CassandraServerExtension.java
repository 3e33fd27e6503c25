package io.kasper.test;

/**
 * JUnit 5 extension that injects one shared {@link CassandraServer} into test and lifecycle method parameters.
 *
 * <p>The node is started on first use and shared by every test class of the same test run (root extension context
 * store), then killed and deleted when the run ends. Tests sharing it must use distinct keyspaces or tables (for
 * instance a random name per test). Tests that kill it must start a node of their own with
 * {@link CassandraServer#start()}.
 *
 * <pre>{@code
 * @ExtendWith(CassandraServerExtension.class)
 * class RowsIT {
 *     @Test
 *     void stores(CassandraServer cassandra) { ... cassandra.contactPoint() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the node once).
 */
public final class CassandraServerExtension extends SharedServerExtension<CassandraServer> {

    /** Creates the extension; JUnit calls this. */
    public CassandraServerExtension() {
        super(CassandraServer.class, CassandraServer::start);
    }
}
