package io.kasper.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on the loopback interface. Thread-safe (stateless). */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago.
     *
     * @throws UncheckedIOException when no port can be bound
     */
    static int next() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
