package io.kasper.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One round of one pipeline in a JVM of its own ({@code --fork-pipelines}): attaches to the bench's broker and Redis,
 * warms the pipeline up with the rule of the in-process bench ({@link WarmUp}) but over the whole input (N records a
 * round, not 100,000: a fresh JVM has had no other pipeline's rounds to warm the clients' code up), times one run over
 * the same input ({@link TimedRun}, its CPU window in this JVM), and prints the figures as one {@code RESULT <json>}
 * line; each warm-up round as a {@code PROGRESS <text>} line. Exits 0 after the result, 1 on any failure (its stack
 * trace on standard output).
 *
 * <p>Arguments: bootstrap brokerPid redisUri redisPid proxyPid firstName pipeline input wordsFile aggregatesFile,
 * then the bench's own flags ({@link Options}). {@code proxyPid} is -1 without a delay proxy; {@code wordsFile} and
 * {@code aggregatesFile} are {@code -} for a pass-through; for a stateful pipeline the first holds the words to read
 * back, one per line, and the child writes their aggregates to the second as {@code word<TAB>count,sum} lines
 * ({@link Aggregate#encode()}).
 */
public final class PipelineChild {

    /** Prefix of the line that carries the figures. */
    static final String RESULT = "RESULT ";
    /** Prefix of a warm-up round's progress line. */
    static final String PROGRESS = "PROGRESS ";
    static final int FIXED_ARGS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineChild() {
    }

    /** Entry point of the forked JVM. */
    public static void main(String[] args) {
        try {
            run(args);
            System.out.flush();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Env.Servers servers = new Env.Servers(args[0], Long.parseLong(args[1]), args[2], Long.parseLong(args[3]),
                Long.parseLong(args[4]));
        Options options = Options.parse(Arrays.copyOfRange(args, FIXED_ARGS, args.length));
        Pipeline pipeline = Pipelines.all().stream().filter(p -> p.name().equals(args[6])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline named " + args[6]));
        BrokerDataDir data = new BrokerDataDir(null, "the bench's broker, attached");
        try (Env env = new Env(options, servers, data, Integer.parseInt(args[5]))) {
            WarmUp.Outcome warmUp = WarmUp.settle(env, pipeline, args[7], options.warmUpRoundCap(),
                    line -> System.out.println(PROGRESS + line));
            Set<String> words = args[8].equals("-") ? null
                    : new HashSet<>(Files.readAllLines(Path.of(args[8]), StandardCharsets.UTF_8));
            TimedRun.Result result = TimedRun.run(env, pipeline, args[7], words);
            if (result.aggregates() != null && !args[9].equals("-")) {
                writeAggregates(Path.of(args[9]), result.aggregates());
            }
            System.out.println(RESULT + toJson(result, warmUp));
        }
    }

    private static void writeAggregates(Path file, Map<String, Aggregate> aggregates) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Aggregate> e : aggregates.entrySet()) {
                out.write(e.getKey() + "\t" + e.getValue().encode() + "\n");
            }
        }
    }

    /** The result line's JSON: every figure of the run and of its warm-up, unrounded. */
    static String toJson(TimedRun.Result r, WarmUp.Outcome w) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("rate", r.rate()).put("outputRate", r.outputRate()).put("duplicates", r.duplicates());
        CpuWindow.Usage u = r.cpu();
        root.putObject("cpu").put("jvm", u.jvm()).put("broker", u.broker()).put("redis", u.redis())
                .put("proxy", u.proxy())
                .put("poller", u.poller()).put("jit", u.jit()).put("gc", u.gc()).put("alloc", u.alloc());
        ObjectNode warmUp = root.putObject("warmUp").put("rounds", w.rounds()).put("settled", w.settled());
        ArrayNode rates = warmUp.putArray("rates");
        w.rates().forEach(rates::add);
        ArrayNode jit = warmUp.putArray("jit");
        w.jit().forEach(jit::add);
        return JSON.writeValueAsString(root);
    }

    /** Reads a result line's JSON back; the aggregates come from the file the child wrote, or are null. */
    static TimedRun.Result result(String json, Map<String, Aggregate> aggregates) throws IOException {
        var root = JSON.readTree(json);
        var c = root.path("cpu");
        CpuWindow.Usage usage = new CpuWindow.Usage(c.path("jvm").asDouble(), c.path("broker").asDouble(),
                c.path("redis").asDouble(), c.path("proxy").asDouble(), c.path("poller").asDouble(),
                c.path("jit").asDouble(), c.path("gc").asDouble(), c.path("alloc").asDouble());
        return new TimedRun.Result(root.path("rate").asDouble(), root.path("outputRate").asDouble(),
                root.path("duplicates").asLong(), usage, aggregates);
    }

    /** Reads the warm-up of a result line's JSON back. */
    static WarmUp.Outcome warmUp(String json) throws IOException {
        var w = JSON.readTree(json).path("warmUp");
        List<Double> rates = new java.util.ArrayList<>();
        w.path("rates").forEach(n -> rates.add(n.asDouble()));
        List<Double> jit = new java.util.ArrayList<>();
        w.path("jit").forEach(n -> jit.add(n.asDouble()));
        return new WarmUp.Outcome(w.path("rounds").asInt(), w.path("settled").asBoolean(), rates, jit);
    }
}
