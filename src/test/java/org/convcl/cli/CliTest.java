package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.convcl.data.DataSources;
import org.convcl.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  /** The exit code and both streams of one run. */
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code command} on the CPU backend: {@code convcl command --device cpu args...}. */
  static Result cpu(String command, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = command;
    all[1] = "--device";
    all[2] = "cpu";
    System.arraycopy(args, 0, all, 3, args.length);
    return run(all);
  }

  @Test
  void helpEverywhere() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"train", "--help"},
          {"eval", "--help"},
          {"predict", "--help"},
          {"export", "--help"},
          {"summary", "--help"},
          {"explain", "--help"},
          {"explain", "conv", "--help"},
          {"explain", "maxpool", "--help"},
          {"devices", "--help"},
          {"bench", "--help"}
        }) {
      Result r = run(args);
      assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err());
      assertTrue(r.out().contains("Usage: convcl"), r.out());
    }
    for (String command : new String[] {"eval", "predict", "export"}) {
      String help = run(command, "--help").out();
      assertTrue(help.contains("--checkpoint=CKPT|DIR") && help.contains("--device"), help);
    }
  }

  @Test
  void unknownOptionIsAUsageError() {
    Result r = run("train", "--epoch", "3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--epoch"), r.err());
  }

  @Test
  void badValuesNameTheirOption() {
    Result r = run("train", "--epochs", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--epochs = 0"), r.err());
    r = run("train", "--lr", "abc");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--lr"), r.err());
    r = run("explain", "conv", "--input", "3xq");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--input = 3xq"), r.err());
    r = run("predict");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("IMAGE"), r.err());
    assertEquals(2, run().code());
    assertEquals(2, run("explain").code());
  }

  @Test
  void badModelSpecIsAUsageErrorPointingAtTheToken() {
    Result r =
        cpu("train", "--model", "conv5x5x20-relu-pool2-dense10", "--run-dir", dir.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("\"pool2\""), r.err());
    // The spec is checked before any data is read or device opened.
    Result early =
        run("train", "--data", "mnist:" + dir.resolve("none"), "--model", "conv5x5x20-pool2");
    assertEquals(2, early.code(), early.err());
    assertTrue(early.err().contains("\"pool2\""), early.err());
  }

  @Test
  void summaryAndExplain() {
    Result s = run("summary");
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("431,080"), s.out());
    Result e = run("explain", "conv", "--input", "3x3", "--kernel", "2x2");
    assertEquals(0, e.code(), e.err());
    assertTrue(
        e.out().contains("dL/dX22 = F22*dL/dO11 + F21*dL/dO12 + F12*dL/dO21 + F11*dL/dO22"),
        e.out());
    Result m =
        run("explain", "maxpool", "--input", "2x2", "--kernel", "2x2", "--values", "1,4,3,2");
    assertEquals(0, m.code(), m.err());
    assertTrue(m.out().contains("dL/dX12 = dL/dO11"), m.out());
  }

  @Test
  void explainMaxpoolFollowsTheOpsNaNRule() {
    // maxPoolForward gives NaN with argmax X22 here; explain printed "= X21 = 3.0".
    Result m =
        run("explain", "maxpool", "--input", "2x2", "--kernel", "2x2", "--values", "1,2,3,NaN");
    assertEquals(0, m.code(), m.err());
    assertTrue(m.out().contains("= X22 = NaN"), m.out());
    assertTrue(m.out().contains("dL/dX22 = dL/dO11"), m.out());
  }

  @Test
  void summaryCountsHugeModelsWithoutAllocatingAndNamesOversizedTokens() {
    // 2 * 10^9 parameters (8 GB of weights, more than the test heap): counted from shapes only.
    Result big = run("summary", "--model", "dense1000000000", "--input", "1x1x1");
    assertEquals(0, big.code(), big.err());
    assertTrue(big.out().contains("2,000,000,000"), big.out());
    // More weights than a Java array holds: a spec error (exit 2) at the token, not an OOM.
    Result over = run("summary", "--model", "flatten-dense2147483647", "--input", "1x1x1");
    assertEquals(2, over.code(), over.err());
    assertTrue(over.err().contains("\"dense2147483647\""), over.err());
    assertTrue(over.err().contains("Java array"), over.err());
  }

  @Test
  void trainEvalPredictResume() throws IOException {
    Path run = dir.resolve("run");
    String spec = "conv5x5x6-relu-maxpool2-dense10";
    Result t =
        cpu(
            "train",
            "--model",
            spec,
            "--train-limit",
            "256",
            "--test-limit",
            "100",
            "--epochs",
            "1",
            "--run-dir",
            run.toString(),
            "--json",
            "--no-progress",
            "--quiet");
    assertEquals(0, t.code(), t.err());
    String json = t.out().trim();
    for (String key :
        new String[] {
          "\"test_accuracy\":",
          "\"train_images_per_second\":",
          "\"epochs\":1",
          "\"device\":\"cpu",
          "\"seconds\":"
        }) {
      assertTrue(json.contains(key), json);
    }
    assertTrue(t.err().contains("epoch 1/1"), t.err());
    for (String f : new String[] {"metrics.csv", "curves.png", "checkpoint.ccl"}) {
      assertTrue(Files.size(run.resolve(f)) > 0, f);
    }

    // Not quiet, but not on a terminal either: no progress bar (no carriage returns or escape
    // codes in a log); stdout stays one line of JSON.
    Result e = cpu("eval", "--checkpoint", run.toString(), "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("\"accuracy\":"), e.out());
    assertEquals(1, e.out().strip().lines().count(), e.out());
    assertTrue(!e.err().contains("eval test") && !e.err().contains("\r"), e.err());

    Dataset test = DataSources.load("mnist", null).test();
    Path png = dir.resolve("digit.png");
    byte[] first = test.image(0);
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 784; i++) {
      int v = first[i] & 0xff;
      img.setRGB(i % 28, i / 28, 0xff000000 | v << 16 | v << 8 | v);
    }
    ImageIO.write(img, "png", png.toFile());
    Result p = cpu("predict", "--checkpoint", run.toString(), "--top-k", "2", png.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().matches("(?s).*digit\\.png: \\d [0-9.]+%, \\d [0-9.]+%\\s*"), p.out());

    Result r =
        cpu("train", "--resume", run.toString(), "--epochs", "2", "--no-progress", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("resuming after epoch 1 of 2"), r.out());
    assertTrue(r.out().contains("epoch 2/2"), r.out());
    assertEquals(3, Files.readAllLines(run.resolve("metrics.csv")).size());

    byte[] ck = Files.readAllBytes(run.resolve("checkpoint.ccl"));
    ck[ck.length / 2] ^= 1;
    Files.write(run.resolve("checkpoint.ccl"), ck);
    Result bad = cpu("eval", "--checkpoint", run.toString(), "--quiet");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("checksum mismatch"), bad.err());
  }

  /** Two classes of 12x12 images: a bright square top-left ("tl") or bottom-right ("br"). */
  private static void writeShapes(Path root, int perClass, java.util.Random r) throws IOException {
    for (String part : new String[] {"train", "test"}) {
      for (String cls : new String[] {"br", "tl"}) {
        Path d = Files.createDirectories(root.resolve(part).resolve(cls));
        for (int i = 0; i < perClass; i++) {
          BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
          int off = cls.equals("tl") ? 0 : 6;
          for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
              boolean in = y >= off && y < off + 6 && x >= off && x < off + 6;
              int v = in ? 200 + r.nextInt(56) : r.nextInt(60);
              img.setRGB(x, y, v << 16 | v << 8 | v);
            }
          }
          ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
        }
      }
    }
  }

  @Test
  void imageFolderTrainAndPredict() throws IOException {
    Path data = dir.resolve("shapes");
    writeShapes(data, 24, new java.util.Random(23));
    Path run = dir.resolve("run");
    Result t =
        cpu(
            "train",
            "--data",
            "folder:" + data,
            "--input",
            "1x12x12",
            "--model",
            "conv3x3x4-relu-maxpool2-dense2",
            "--epochs",
            "3",
            "--batch",
            "8",
            "--run-dir",
            run.toString(),
            "--no-progress",
            "--quiet");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("48 train / 48 test images, 1x12x12"), t.out());
    Result p =
        cpu(
            "predict",
            "--checkpoint",
            run.toString(),
            "--top-k",
            "1",
            data.resolve("test/tl/0.png").toString(),
            data.resolve("test/br/0.png").toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("0.png: tl "), "seed 23: " + p.out());
    assertTrue(p.out().contains("0.png: br "), "seed 23: " + p.out());
  }

  @Test
  void onlyOptionErrorsAreUsageErrors() {
    Result b = cpu("eval", "--batch", "0", "--checkpoint", dir.toString());
    assertEquals(2, b.code(), b.err());
    assertTrue(b.err().contains("--batch = 0"), b.err());
    // A rule broken deep inside the library is a failure (1), not a usage error, and says so once.
    Result big =
        cpu(
            "train",
            "--model",
            "conv3x3x512p1-relu-conv3x3x512p1-relu-dense10",
            "--batch",
            "8000",
            "--epochs",
            "1",
            "--run-dir",
            dir.resolve("big").toString(),
            "--quiet",
            "--no-progress");
    assertEquals(1, big.code(), big.err());
    assertTrue(big.err().startsWith("convcl train: "), big.err());
    assertTrue(!big.err().contains("--help"), big.err());
    Result d = cpu("eval", "--data", "imagenet", "--checkpoint", dir.toString());
    assertTrue(d.code() != 0, d.err());
  }

  @Test
  void subcommandErrorsCarryTheQualifiedName() {
    Result r = run("explain", "conv", "--input", "3x3", "--stride", "0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("convcl explain conv: "), r.err());
    assertTrue(r.err().contains("Try 'convcl explain conv --help'"), r.err());
    assertEquals(2, r.err().strip().lines().count(), "one message and one hint:\n" + r.err());
    Result u = run("train", "--epoch", "3");
    assertTrue(u.err().strip().lines().count() <= 3, "no full usage dump:\n" + u.err());
  }

  @Test
  void explainIsCappedToSmallLayers() {
    Result big = run("explain", "conv", "--input", "33x4", "--kernel", "2x2");
    assertEquals(2, big.code(), big.err());
    assertTrue(big.err().contains("--input = 33x4") && big.err().contains("at most 32"), big.err());
    Result pad = run("explain", "maxpool", "--input", "4x4", "--padding", "1000");
    assertEquals(2, pad.code(), pad.err());
    assertTrue(pad.err().contains("--padding = 1000"), pad.err());
    Result largest = run("explain", "conv", "--input", "32x32", "--kernel", "3x3");
    assertEquals(0, largest.code(), largest.err());
    assertEquals(1 + 900 + 1 + 9 + 1 + 1024, largest.out().lines().count());
  }

  @Test
  void aDamagedMetricsFileIsRebuiltFromTheCheckpoint() throws IOException {
    Path run = dir.resolve("run");
    Result t = trainSmall(run, "1");
    assertEquals(0, t.code(), t.err());
    String row1 = Files.readAllLines(run.resolve("metrics.csv")).get(1);
    Files.writeString(
        run.resolve("metrics.csv"), "garbage,line\n", java.nio.file.StandardOpenOption.APPEND);
    Result r = cpu("train", "--resume", run.toString(), "--epochs", "2", "--quiet");
    assertEquals(0, r.code(), r.err());
    java.util.List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertEquals(row1, lines.get(1));
    assertTrue(lines.get(2).startsWith("2,"), lines.toString());
  }

  @Test
  void resumeDropsMetricsRowsPastTheCheckpoint() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainSmall(run, "1").code());
    Path csv = run.resolve("metrics.csv");
    // A run killed after writing epoch 2's row but before its checkpoint counted.
    String row1 = Files.readAllLines(csv).get(1);
    Files.writeString(csv, "2" + row1.substring(1) + "\n", java.nio.file.StandardOpenOption.APPEND);
    Result r = trainSmall(run, "2", "--resume", run.toString());
    assertEquals(0, r.code(), r.err());
    java.util.List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).startsWith("1,") && lines.get(2).startsWith("2,"), lines.toString());
  }

  @Test
  void resumeRefusesTooFewEpochsAndAnotherModel() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainSmall(run, "2").code());
    Result few = cpu("train", "--resume", run.toString(), "--epochs", "1");
    assertEquals(2, few.code(), few.err());
    assertTrue(
        few.err().contains("--epochs = 1: the checkpoint has already completed 2"), few.err());
    Result done = cpu("train", "--resume", run.toString());
    assertEquals(2, done.code(), done.err());
    assertTrue(done.err().contains("--epochs = 2 (the run's total)"), done.err());
    Result other =
        run("train", "--resume", run.toString(), "--epochs", "3", "--model", "conv3x3x8-dense10");
    assertEquals(2, other.code(), other.err());
    assertTrue(other.err().contains("differs from the checkpoint's spec"), other.err());
  }

  @Test
  void extendingACosineRunNeverRaisesTheRate() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainSmall(run, "1", "--batch", "32", "--lr", "0.01").code());
    Result r = trainSmall(run, "3", "--resume", run.toString());
    assertEquals(0, r.code(), r.err());
    java.util.List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
    double previous = Double.MAX_VALUE;
    for (String line : lines.subList(1, lines.size())) {
      double lr = Double.parseDouble(line.split(",")[1]);
      assertTrue(lr <= previous, "the cosine rate rose again:\n" + String.join("\n", lines));
      previous = lr;
    }
    assertEquals(4, lines.size());
  }

  /** A one-epoch-per-call run of 128 digits on a tiny model. */
  private static Result trainSmall(Path run, String epochs, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--model",
                "conv3x3x4-relu-maxpool2-dense10",
                "--train-limit",
                "128",
                "--test-limit",
                "64",
                "--epochs",
                epochs,
                "--run-dir",
                run.toString(),
                "--no-progress",
                "--quiet"));
    args.addAll(java.util.List.of(more));
    return cpu("train", args.toArray(String[]::new));
  }

  @Test
  void wrongNumberOfOutputsIsAUsageError() {
    Result r =
        cpu(
            "train",
            "--model",
            "conv5x5x4-relu-dense7",
            "--train-limit",
            "64",
            "--run-dir",
            dir.toString(),
            "--quiet");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("dense10"), r.err());
  }
}
