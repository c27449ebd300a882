package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.convcl.cli.CliTest.Result;
import org.convcl.tensor.Shape;
import org.convcl.train.Checkpoint;
import org.convcl.train.CheckpointIO;
import org.convcl.train.NamedArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options and bad files: refused with exit 2 (options) or 1 (files), naming what is wrong. */
class RefusalsTest {
  @TempDir Path dir;

  private static void assertUsage(Result r, String expected) {
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void badOptionValuesAreUsageErrors() throws IOException {
    Path data = dir.resolve("shapes");
    for (String part : new String[] {"train", "test"}) {
      for (String cls : new String[] {"a", "b"}) {
        Path d = Files.createDirectories(data.resolve(part).resolve(cls));
        ImageIO.write(
            new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY),
            "png",
            d.resolve("0.png").toFile());
      }
    }
    Path run = dir.resolve("run");
    assertUsage(
        CliTest.cpu(
            "train",
            "--data",
            "folder:" + data,
            "--input",
            "1x8",
            "--model",
            "dense2",
            "--run-dir",
            run.toString()),
        "--input = 1x8");
    assertUsage(CliTest.run("train", "--optimizer", "rmsprop"), "sgd or adam");
    for (String s : new String[] {"cosine:3", "constant:1", "step::", "step:2:0.5:1"}) {
      assertUsage(CliTest.run("train", "--schedule", s), "--schedule = " + s);
    }
    assertUsage(CliTest.run("train", "--device="), "--device is empty");
    assertUsage(CliTest.run("explain", "conv", "--input", "3x"), "--input = 3x");
    assertUsage(CliTest.run("summary", "--input", "1x28x"), "1x28x");
    assertUsage(CliTest.run("devices", "--device", "zzz"), "zzz");
  }

  /** A one-epoch run's checkpoint, rewritten with {@code change} applied (a valid checksum). */
  private Path edited(java.util.function.UnaryOperator<Checkpoint> change) throws IOException {
    Path run = dir.resolve("run");
    if (!Files.exists(run.resolve("checkpoint.ccl"))) {
      assertEquals(0, RunDirectoryTest.trainEpochs(run, "1").code());
    }
    Path f = dir.resolve("edited-" + System.nanoTime() + ".ccl");
    CheckpointIO.write(f, change.apply(CheckpointIO.read(run.resolve("checkpoint.ccl"))));
    return f;
  }

  private static Checkpoint with(Checkpoint c, Map<String, String> settings, List<NamedArray> t) {
    return new Checkpoint(
        c.spec(),
        c.inputItem(),
        c.classNames(),
        c.normalization(),
        c.epoch(),
        c.step(),
        c.seed(),
        c.optimizer(),
        c.optimizerStep(),
        settings,
        t,
        c.history());
  }

  private static void assertBadFile(Result r, Path f, String expected) {
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains(f.toString()), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertTrue(!r.err().contains("-Xmx") && !r.err().contains("--help"), r.err());
  }

  @Test
  void badSettingsAndTensorsInsideACheckpointNameTheFile() throws IOException {
    for (String[] kv :
        new String[][] {
          {"epochs", "abc"},
          {"lr", "fast"},
          {"schedule", "bogus"},
          {"data", "imagenet"},
          {"optimizer", "rmsprop"},
          {"nesterov", "maybe"}
        }) {
      Path f =
          edited(
              c -> {
                Map<String, String> s = new TreeMap<>(c.settings());
                s.put(kv[0], kv[1]);
                return with(c, s, c.tensors());
              });
      assertBadFile(
          CliTest.cpu("train", "--resume", f.toString(), "--run-dir", dir.resolve("x").toString()),
          f,
          kv[0] + " = " + kv[1]);
    }
    Path unknown =
        edited(
            c -> {
              List<NamedArray> t = new ArrayList<>(c.tensors());
              t.add(new NamedArray("buffer/0.conv3x3x4.stray", Shape.of(1), new float[1]));
              return with(c, c.settings(), t);
            });
    assertBadFile(CliTest.cpu("eval", "--checkpoint", unknown.toString()), unknown, "stray");
    Path twice =
        edited(
            c -> {
              List<NamedArray> t = new ArrayList<>(c.tensors());
              t.add(t.get(t.size() - 1));
              return with(c, c.settings(), t);
            });
    assertBadFile(CliTest.cpu("eval", "--checkpoint", twice.toString()), twice, "stored twice");
    Path spec =
        edited(
            c ->
                new Checkpoint(
                    "conv3x3x4-relu-pool2-dense10",
                    c.inputItem(),
                    c.classNames(),
                    c.normalization(),
                    c.epoch(),
                    c.step(),
                    c.seed(),
                    c.optimizer(),
                    c.optimizerStep(),
                    c.settings(),
                    c.tensors()));
    assertBadFile(CliTest.cpu("eval", "--checkpoint", spec.toString()), spec, "pool2");
    assertBadFile(
        CliTest.cpu("train", "--resume", spec.toString(), "--run-dir", dir.resolve("y").toString()),
        spec,
        "pool2");
  }
}
