package io.kasper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a JVM the bench forks (a memory run, a forked pipeline round) to its end and sorts its output: the line that
 * carries its figures, progress lines to pass on, and everything else as a log for the error message.
 */
final class ChildJvm {

    /**
     * What a forked JVM printed.
     *
     * @param result the last line that started with the result prefix, whole; null when there was none
     * @param log every other line that was not progress
     * @param exitValue the exit value, or -1 when the JVM was killed after the timeout
     */
    record Output(String result, String log, int exitValue) {

        /** Returns whether the JVM exited with 0 and printed a result. */
        boolean succeeded() {
            return exitValue == 0 && result != null;
        }
    }

    private ChildJvm() {
    }

    /**
     * Returns the command that runs {@code mainClass} in a new JVM of this JVM's installation and class path.
     *
     * @param jvmFlags flags of the new JVM (heap size, say), before the class path
     * @param mainClass the class whose {@code main} runs
     * @param args the arguments of {@code main}
     */
    static List<String> command(List<String> jvmFlags, Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        return command;
    }

    /**
     * Runs {@code command}, standard error merged into standard output, until it exits or {@code timeout} passes.
     *
     * @param resultPrefix the prefix of the line that carries the figures
     * @param progressPrefix the prefix of lines to pass to {@code progress} without it, or null
     * @throws IOException when the JVM cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    static Output run(List<String> command, String resultPrefix, String progressPrefix, Consumer<String> progress,
            Duration timeout) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(resultPrefix)) {
                    result = line;
                } else if (progressPrefix != null && line.startsWith(progressPrefix)) {
                    progress.accept(line.substring(progressPrefix.length()));
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            child.destroyForcibly();
            return new Output(result, log.toString(), -1);
        }
        return new Output(result, log.toString(), child.exitValue());
    }
}
