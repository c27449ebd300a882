package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convcl.testutil.Jvm;
import org.convcl.train.CheckpointIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT sent to a real `convcl train` process: it stops after the step in flight,
 * keeps its last checkpoint, clears the progress line, says how to resume, and exits 143 or 130.
 */
class SignalTest {
  @TempDir Path dir;

  /** `convcl train` in a new JVM on this test's class path, its stderr going to {@code err}. */
  private static Process start(Path run, Path err) throws IOException {
    ProcessBuilder pb =
        Jvm.of(
            List.of(
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + Main.LOGBACK_CONFIG),
            Main.class,
            "train",
            "--device",
            "cpu",
            "--model",
            "conv3x3x4-relu-maxpool2-dense10",
            "--train-limit",
            "2000",
            "--test-limit",
            "64",
            "--batch",
            "8",
            "--epochs",
            "100",
            "--run-dir",
            run.toString());
    pb.redirectError(err.toFile());
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  /** Waits until {@code run} holds a checkpoint, then a little into the next epoch. */
  private static void awaitFirstEpoch(Process p, Path run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(run.resolve("checkpoint.ccl"))) {
      assertTrue(p.isAlive(), "the training process died early");
      assertTrue(System.nanoTime() < deadline, "no checkpoint after 120 s");
      Thread.sleep(50);
    }
    Thread.sleep(300);
  }

  private void stopsCleanly(String signal, int exitCode) throws Exception {
    Path run = dir.resolve(signal);
    Path err = dir.resolve(signal + ".err");
    Process p = start(run, err);
    try {
      awaitFirstEpoch(p, run);
      // A second run into the same directory is refused while this one holds it.
      CliTest.Result second = RunDirectoryTest.trainEpochs(run, "1", "--overwrite");
      assertEquals(2, second.code(), second.err());
      assertTrue(second.err().contains("pid " + p.pid() + " on "), second.err());

      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIG" + signal);
    } finally {
      p.destroyForcibly();
    }
    String text = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(exitCode, p.exitValue(), text);
    int at = text.indexOf("interrupted at epoch ");
    assertTrue(at >= 0, text);
    List<String> tail = text.substring(at).lines().toList();
    assertTrue(
        tail.get(0)
            .matches(
                "interrupted at epoch \\d+, step \\d+; resume with: convcl train"
                    + " --resume "
                    + java.util.regex.Pattern.quote(run.toString())),
        tail.get(0));
    // The progress bar was cleared: nothing but blanks between the last line break and the message.
    String before = text.substring(0, at);
    String lastLine = before.substring(before.lastIndexOf('\n') + 1);
    String visible = lastLine.substring(lastLine.lastIndexOf('\r') + 1);
    assertTrue(visible.isBlank(), "the progress line was left: [" + visible + "]");
    int epoch = CheckpointIO.read(run.resolve("checkpoint.ccl")).epoch();
    assertTrue(epoch >= 1, "epoch " + epoch);
    assertEquals(epoch + 1, Files.readAllLines(run.resolve("metrics.csv")).size());
    // The chart of the epochs done, drawn at the latest as the run ended (ChartListener).
    java.awt.image.BufferedImage chart =
        javax.imageio.ImageIO.read(run.resolve("curves.png").toFile());
    assertTrue(chart != null && chart.getWidth() > 0, "no chart after the stop");
  }

  @Test
  void sigtermStopsAfterTheStepAndExits143() throws Exception {
    stopsCleanly("TERM", 143);
  }

  @Test
  void sigintStopsAfterTheStepAndExits130() throws Exception {
    stopsCleanly("INT", 130);
  }
}
