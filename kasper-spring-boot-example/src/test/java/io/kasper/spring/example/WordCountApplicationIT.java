package io.kasper.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example's run against the shared broker and Redis: every word counted in Redis exactly, exit code 0. */
@ExtendWith({KafkaBrokerExtension.class, RedisServerExtension.class})
class WordCountApplicationIT {

    @Test
    void countsEveryWordOfTheSampleLinesIntoRedisExactly(KafkaBroker broker, RedisServer redis) {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = WordCountRun.run(new String[] {
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--kasper.stores.word-counts.redis.uri=" + redis.uri(),
                "--server.port=0",
                "--lines=2000"});
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(output).contains("produced 2,000 lines to topic 'lines'", "top words:",
                "check OK: all 20 words of 2,000 lines counted in Redis exactly as a direct count");
        assertThat(exit).isZero();
    }
}
