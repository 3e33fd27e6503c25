package io.kasper.test;

/**
 * JUnit 5 extension that injects one shared {@link RedisServer} into test and lifecycle method parameters.
 *
 * <p>The server is started on first use and shared by every test class of the same test run (root extension context
 * store), then killed and deleted when the run ends. Tests sharing it must use distinct key prefixes. Tests that kill,
 * stop, restart it or read its global statistics must start a server of their own with {@link RedisServer#start()}.
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class CountsIT {
 *     @Test
 *     void counts(RedisServer redis) { ... redis.uri() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the server once).
 */
public final class RedisServerExtension extends SharedServerExtension<RedisServer> {

    /** Creates the extension; JUnit calls this. */
    public RedisServerExtension() {
        super(RedisServer.class, RedisServer::start);
    }
}
