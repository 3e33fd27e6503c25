package io.kasper.it;

import io.kasper.GroupProtocol;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A group-managed pass-through topic processor as a program of its own, to run instances in separate JVMs (the
 * scale-out IT kills one with SIGKILL). It copies every input message to the output topic as
 * {@code "<value>|<owner>"} and appends one line per {@code process()} call to a span file. SIGTERM closes it
 * cleanly through a shutdown hook.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.kasper.it.GroupMemberMain &lt;bootstrap&gt; &lt;name&gt; &lt;in1,in2&gt; &lt;out&gt;
 *     &lt;owner&gt; &lt;span file&gt; &lt;batchSize&gt; &lt;CLASSIC|CONSUMER&gt;
 * </pre>
 */
public final class GroupMemberMain {

    private GroupMemberMain() {
    }

    /**
     * Runs until SIGTERM or a failure (exit status 1).
     *
     * @param args bootstrap servers, processor name, comma-separated input topics, output topic, owner id, span file,
     *     batch size, group protocol
     * @throws IOException when the span file cannot be opened
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 8) {
            System.err.println("usage: GroupMemberMain <bootstrap> <name> <in1,in2> <out> <owner> <spanFile> "
                    + "<batchSize> <CLASSIC|CONSUMER>");
            System.exit(2);
        }
        String owner = args[4];
        PrintWriter spans = new PrintWriter(Files.newBufferedWriter(Path.of(args[5]), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), false);
        TopicProcessorConfig config = groupConfig(args[0], args[1], List.of(args[2].split(",")),
                Integer.parseInt(args[6]), GroupProtocol.valueOf(args[7])).build();
        TopicProcessor processor = new TopicProcessor(config, p -> new PassThrough(args[3], owner, span -> {
            // flushed per batch: a SIGKILL loses at most the line being written, which the reader skips
            spans.println(span.toLine());
            spans.flush();
            if (spans.checkError()) {
                throw new UncheckedIOException(new IOException("cannot write span file " + args[5]));
            }
        }));
        Runtime.getRuntime().addShutdownHook(new Thread(processor::close, "close-" + owner));
        try {
            processor.runLoop();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            spans.close();
        }
    }

    /** The group-managed configuration every scale-out instance uses under the classic protocol. */
    static TopicProcessorConfig.Builder groupConfig(String bootstrap, String name, List<String> topics,
            int batchSize) {
        return groupConfig(bootstrap, name, topics, batchSize, GroupProtocol.CLASSIC);
    }

    /** The group-managed configuration every scale-out instance uses, in this JVM or another. */
    static TopicProcessorConfig.Builder groupConfig(String bootstrap, String name, List<String> topics,
            int batchSize, GroupProtocol protocol) {
        TopicProcessorConfig.Builder builder = TopicProcessorConfig.builder().topicProcessorName(name)
                .bootstrapServers(bootstrap).inputTopics(topics).groupManaged().groupProtocol(protocol)
                .batchSize(batchSize).batchWaitDuration(Duration.ofMillis(100)).closeTimeout(Duration.ofSeconds(20))
                .producerProperty("delivery.timeout.ms", 20_000).producerProperty("request.timeout.ms", 10_000);
        if (protocol == GroupProtocol.CLASSIC) {
            // a killed member is noticed after session.timeout.ms; 6 s is the broker's minimum. Under CONSUMER the
            // test broker sets the same for every group (see KafkaBroker).
            builder.consumerProperty("session.timeout.ms", 6_000).consumerProperty("heartbeat.interval.ms", 1_000);
        }
        return builder;
    }
}
