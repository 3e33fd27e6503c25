package io.kasper.spring.example;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot word-count example: the {@code word-count} processor of application.yml counts the words of topic
 * {@code lines} into the {@code word-counts} Redis store, with {@link WordCountLogic} as its logic.
 *
 * <p>{@code java -jar kasper-spring-boot-example/target/kasper-spring-boot-example.jar} starts an embedded broker and
 * Redis, feeds sample lines, runs the application until every line is counted, prints the top words and a check of
 * every count against a direct count, and exits with 0 (1 when a count differs). Give
 * {@code --spring.kafka.bootstrap-servers=HOST:PORT} and {@code --kasper.stores.word-counts.redis.uri=redis://HOST:PORT}
 * to use a cluster and a Redis of your own, {@code --lines=N} for the number of lines and {@code --keep-running} to
 * stay up (Actuator on {@code server.port}, default 8080) until Ctrl-C.
 */
@SpringBootApplication
public class WordCountApplication {

    /** Not instantiated by hand: Spring creates it. */
    public WordCountApplication() {
    }

    /**
     * Runs the example and exits with its result.
     *
     * @param args Spring Boot arguments ({@code --name=value}), plus {@code --lines=N} and {@code --keep-running}
     */
    public static void main(String[] args) {
        System.exit(WordCountRun.run(args));
    }
}
