package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delay proxy against a loopback echo server: what it delivers, in what order, and how late. */
class DelayProxyTest {

    private ServerSocket echo;
    private Thread echoThread;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                in.transferTo(out); // echoes until the client's end arrives, then closes its own
            } catch (IOException closed) {
                // the test ended
            }
        }, "echo");
        echoThread.start();
    }

    @AfterEach
    void stopEchoServer() throws Exception {
        echo.close();
        echoThread.join(5_000);
    }

    @Test
    void aRoundTripThroughTheProxyTakesAtLeastTwiceTheOneWayDelay() throws IOException {
        Duration oneWay = Duration.ofMillis(40);
        try (DelayProxy proxy = DelayProxy.start(0, echo.getLocalPort(), oneWay);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            for (int trip = 1; trip <= 3; trip++) {
                long start = System.nanoTime();
                client.getOutputStream().write(trip);
                int back = client.getInputStream().read();
                long roundTripNanos = System.nanoTime() - start;

                System.out.printf("round trip %d through a proxy of %d ms each way: %.1f ms%n", trip,
                        oneWay.toMillis(), roundTripNanos / 1e6);
                assertThat(back).isEqualTo(trip);
                assertThat(Duration.ofNanos(roundTripNanos)).isGreaterThanOrEqualTo(oneWay.multipliedBy(2));
            }
        }
    }

    @Test
    void everyByteComesBackInOrderAndTheClientsEndClosesTheConnectionOnBothSides() throws IOException {
        byte[] sent = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(sent);
        try (DelayProxy proxy = DelayProxy.start(0, echo.getLocalPort(), Duration.ofMillis(1));
                Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            Thread writer = new Thread(() -> {
                try {
                    client.getOutputStream().write(sent);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "writer");
            writer.start();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            client.getInputStream().transferTo(received); // returns once the echo server's end came back

            assertThat(received.toByteArray()).isEqualTo(sent);
            // both directions ended: the proxy closed and forgot both sockets of the connection
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openSockets() == 0);
        }
    }
}
