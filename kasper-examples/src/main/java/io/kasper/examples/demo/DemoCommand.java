package io.kasper.examples.demo;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every demo subcommand shares: the {@link DemoOptions}, the run by {@link DemoRun} under the subcommand's name,
 * and the run-scoped topic names. A subcommand prepares its input in {@link #prepare()} and implements the
 * {@link DemoExample} steps.
 *
 * <p>Thread-safety: filled in by picocli and run on the main thread; the processor it creates runs on its own thread.
 */
abstract class DemoCommand implements Callable<Integer>, DemoExample {

    @Mixin
    private DemoOptions options;
    @ParentCommand
    private KasperDemo parent;
    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        prepare();
        return run(spec.commandLine().getOut());
    }

    /** Draws the example's input before the run, e.g. from {@link DemoOptions#lines(int)}. */
    abstract void prepare();

    /**
     * Runs the example from start to end; a subcommand that needs a resource around the run (a store) overrides it
     * and calls this within.
     *
     * @param out the command's output
     * @return the exit code: 0 when the result is correct, 1 when it is not
     * @throws Exception when the demo cannot run
     */
    int run(PrintWriter out) throws Exception {
        return new DemoRun(options, out, parent.stopSignal()).run(spec.name(), this);
    }

    /** Returns the options given on the command line. */
    final DemoOptions options() {
        return options;
    }

    /** Returns the name of one of the run's topics: {@code kasper-demo-<run id>-<suffix>}. */
    final String topic(String suffix) {
        return "kasper-demo-" + options.runId() + "-" + suffix;
    }
}
