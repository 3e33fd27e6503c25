package io.kasper.examples.demo;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The Kasper demo: runs the examples against an embedded real Kafka broker (default) or a cluster of your own,
 * printing progress while they run and their checked result at the end.
 *
 * <pre>
 * java -jar kasper-examples/target/kasper-demo.jar word-count
 * java -jar kasper-examples/target/kasper-demo.jar word-count --bootstrap-servers localhost:9092 --metrics-port 9400
 * </pre>
 *
 * <p>Exit codes: 0 when the example's result is correct, 1 when it is wrong or the demo failed, 2 on a usage error.
 * Thread-safety: one instance serves one command line, on one thread.
 */
@Command(name = "kasper-demo", mixinStandardHelpOptions = true, version = "Kasper demo 0.1.0",
        description = "Runs a Kasper example end to end and checks its result.",
        subcommands = {HelloWorldCommand.class, MultipleTopicsCommand.class, WordCountCommand.class,
            TemperaturesCommand.class, CommandLine.HelpCommand.class})
public final class KasperDemo implements Callable<Integer> {

    private final StopSignal stopSignal;
    @Spec
    private CommandSpec spec;

    /** Creates the demo command with a stop signal of its own (given only by Ctrl-C). */
    public KasperDemo() {
        this(new StopSignal());
    }

    /**
     * Creates the demo command.
     *
     * @param stopSignal stops a demo run with {@code --keep-running}
     */
    public KasperDemo(StopSignal stopSignal) {
        this.stopSignal = stopSignal;
    }

    /** Returns the signal that stops a demo run with {@code --keep-running}. */
    StopSignal stopSignal() {
        return stopSignal;
    }

    /** Without a subcommand: prints the usage and returns the usage exit code. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * Runs the demo and exits the JVM with its exit code (Kafka client threads must not keep it alive).
     *
     * @param args the command line, e.g. {@code word-count --lines 1000}
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err, new StopSignal()));
    }

    /**
     * Runs the demo in this JVM and returns its exit code, without exiting.
     *
     * @param args the command line
     * @param out receives progress and results
     * @param err receives usage and error messages
     * @param stopSignal stops a run with {@code --keep-running}
     * @return 0 when the result is correct, 1 when it is wrong or the demo failed, 2 on a usage error
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, StopSignal stopSignal) {
        CommandLine commandLine = new CommandLine(new KasperDemo(stopSignal));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        int exitCode = commandLine.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }
}
