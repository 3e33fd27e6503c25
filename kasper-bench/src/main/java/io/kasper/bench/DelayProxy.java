package io.kasper.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy that delivers every byte a fixed delay after it arrived, in each direction: the network
 * latency between clients and a broker in another rack or availability zone, which a broker on the same machine does
 * not have. It delays, it does not throttle: bandwidth stays that of the loopback, and order is kept.
 *
 * <p>The bench runs it in a JVM of its own ({@link #main}), so that its threads and copies are not counted in a
 * pipeline's CPU. Each connection gets four threads: a reader and a writer per direction; a read chunk is queued
 * with its due time and written when due.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread.
 */
final class DelayProxy implements AutoCloseable {

    /** The line {@link #main} prints once it accepts connections. */
    static final String READY = "DELAY-PROXY-READY";

    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong threadIds = new AtomicLong();
    private volatile boolean closed;

    private DelayProxy(ServerSocket server, int targetPort, Duration oneWayDelay) {
        this.server = server;
        this.targetPort = targetPort;
        this.delayNanos = oneWayDelay.toNanos();
    }

    /**
     * Listens on {@code listenPort} of the loopback and forwards each connection to {@code targetPort}.
     *
     * @param listenPort the port clients connect to; 0 for any free one
     * @param targetPort the loopback port of the server behind the proxy
     * @param oneWayDelay how long each byte is held in each direction; a round trip takes twice as long
     * @return the running proxy
     * @throws UncheckedIOException when the port cannot be bound
     */
    static DelayProxy start(int listenPort, int targetPort, Duration oneWayDelay) {
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("oneWayDelay must not be negative, was " + oneWayDelay);
        }
        try {
            ServerSocket server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
            DelayProxy proxy = new DelayProxy(server, targetPort, oneWayDelay);
            daemon("delay-proxy-accept", proxy::acceptLoop).start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + listenPort, e);
        }
    }

    /** Returns the sockets of the connections not yet over: two per connection. */
    int openSockets() {
        return open.size();
    }

    /** Returns the port the proxy listens on. */
    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                // the connection is over when both directions are: then both sockets close
                AtomicInteger directions = new AtomicInteger(2);
                pump(client, upstream, directions);
                pump(upstream, client, directions);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
            }
        }
    }

    /**
     * Copies {@code from} to {@code to}, each chunk held for the delay. An end is passed on as a half-close; an error
     * closes both sockets; the last direction to finish closes them and forgets them.
     */
    private void pump(Socket from, Socket to, AtomicInteger directions) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        long id = threadIds.incrementAndGet();
        daemon("delay-proxy-read-" + id, () -> {
            byte[] buffer = new byte[CHUNK];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // the peer went away: end this direction
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, END));
        }).start();
        daemon("delay-proxy-write-" + id, () -> {
            try {
                while (true) {
                    Chunk chunk = queue.take();
                    long wait;
                    while ((wait = chunk.due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (chunk.bytes == END) {
                        to.shutdownOutput();
                        break;
                    }
                    out.write(chunk.bytes);
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
            if (directions.decrementAndGet() <= 0) {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }).start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket socket : List.copyOf(open)) {
            closeQuietly(socket);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on the way out: nothing left to do with it
        }
    }

    private record Chunk(long due, byte[] bytes) {
    }

    /**
     * Runs a proxy until its standard input closes (the bench that started it exited or closed it).
     *
     * @param args the listen port, the target port and the one-way delay in microseconds
     * @throws IOException when standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: DelayProxy LISTEN_PORT TARGET_PORT ONE_WAY_DELAY_MICROS");
        }
        try (DelayProxy proxy = start(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Duration.ofNanos(Long.parseLong(args[2]) * 1000))) {
            System.out.println(READY + " " + proxy.port());
            System.out.flush();
            byte[] discard = new byte[256];
            while (System.in.read(discard) >= 0) {
                // keep running while the parent holds the pipe open
            }
        }
    }
}
