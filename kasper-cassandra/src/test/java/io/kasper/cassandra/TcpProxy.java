package io.kasper.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on a free loopback port, for tests that need a server to vanish without stopping it: a client
 * connected through the proxy sees its connections reset and new ones refused once the proxy is {@linkplain #close()
 * closed}, while the server behind it keeps serving other tests.
 *
 * <p>One daemon thread accepts, two per connection copy bytes. Thread-safe.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /**
     * Starts forwarding connections to a target.
     *
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @return the running proxy; close it to cut every connection
     */
    static TcpProxy start(String targetHost, int targetPort) {
        try {
            TcpProxy proxy = new TcpProxy(targetHost, targetPort);
            daemon("tcp-proxy-accept", proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a proxy port", e);
        }
    }

    /** Returns {@code 127.0.0.1:PORT}, the address clients connect to. */
    String address() {
        return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    /** Stops accepting and closes every forwarded connection, both sides. Idempotent. */
    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            sockets.add(client);
            try {
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(server);
                daemon("tcp-proxy-up", () -> copy(client, server));
                daemon("tcp-proxy-down", () -> copy(server, client));
            } catch (IOException refused) {
                // the client sees its connection closed, as it would from the real server
                closeQuietly(client);
            }
            if (listener.isClosed()) {
                // closed while this pair was being set up: cut it too
                close();
                return;
            }
        }
    }

    /** Copies until either side closes, then closes both so that the other direction ends as well. */
    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException closed) {
            // the proxy or a peer closed the connection: nothing left to forward
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception alreadyClosed) {
            // closing is best effort: the socket is unusable either way
        }
    }
}
