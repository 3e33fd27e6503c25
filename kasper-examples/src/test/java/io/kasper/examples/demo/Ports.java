package io.kasper.examples.demo;

import java.io.IOException;
import java.net.ServerSocket;

/** TCP ports for the demo's HTTP server in tests. */
final class Ports {

    private Ports() {
    }

    /** Returns a port that was free a moment ago, for a server that cannot be asked which port it picked. */
    static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Returns whether nothing listens on {@code port}: it can be bound. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
