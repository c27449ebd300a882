package org.convcl.cli;

import static org.convcl.cli.CliTest.cpu;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.convcl.cli.CliTest.Result;
import org.convcl.data.DataSources;
import org.convcl.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train's validation split, keep-best, early stopping, schedules and augmentation; eval's report
 * and confusion picture; predict's JSON, its handling of unreadable files, and --invert.
 */
class TrainingControlCliTest {
  @TempDir Path dir;

  private Result trainWithControls(Path run) {
    return cpu(
        "train",
        "--model",
        "conv5x5x6-relu-maxpool2-dense10",
        "--train-limit",
        "300",
        "--test-limit",
        "100",
        "--epochs",
        "3",
        "--batch",
        "64",
        "--val-split",
        "0.2",
        "--keep-best",
        "--early-stopping",
        "2",
        "--monitor",
        "loss",
        "--keep-partial-batch",
        "--augment",
        "crop:2+flip",
        "--schedule",
        "plateau:1:0.5+warmup:1",
        "--run-dir",
        run.toString(),
        "--no-progress",
        "--quiet");
  }

  @Test
  void trainHoldsOutAValidationSetKeepsTheBestEpochAndDrawsTwoPanels() throws IOException {
    Path run = dir.resolve("run");
    Result t = trainWithControls(run);
    assertEquals(0, t.code(), t.err());
    // 300 images, a fifth held out: 240 train in 3 full batches of 64 and one of 48.
    assertTrue(t.out().contains("240 train / 60 validation images"), t.out());
    assertTrue(t.out().contains("  val "), "epoch lines name the validation set: " + t.out());
    assertTrue(t.out().contains("ending with the best epoch"), t.out());
    assertTrue(
        t.out().contains("final test accuracy") && t.out().contains("(100 images)"), t.out());
    assertTrue(Files.size(run.resolve("best.ccl")) > 0);
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertTrue(rows.size() >= 2, rows.toString());
    BufferedImage chart = ImageIO.read(run.resolve("curves.png").toFile());
    assertEquals(900, chart.getWidth());
    assertEquals(640, chart.getHeight(), "a loss panel above an accuracy panel");
    assertFalse(Files.exists(run.resolve("curves.png.tmp")));

    Result bad = cpu("train", "--val-split", "1.5", "--run-dir", dir.resolve("x").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--val-split = 1.5"), bad.err());
    Result aug = cpu("train", "--augment", "rotate", "--run-dir", dir.resolve("y").toString());
    assertEquals(2, aug.code());
    assertTrue(aug.err().contains("--augment = rotate"), aug.err());
  }

  @Test
  void evalPrintsTheReportAndDrawsTheConfusionMatrix() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainWithControls(run).code());
    Result e = cpu("eval", "--checkpoint", run.resolve("best.ccl").toString(), "--quiet");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("top-5"), e.out());
    assertTrue(e.out().contains("precision  recall  images"), e.out());
    assertTrue(e.out().contains("confusion matrix (rows: true class"), e.out());
    Path png = run.resolve("confusion-test.png");
    assertTrue(e.out().contains(png.toString()), e.out());
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img.getWidth() > 400 && img.getHeight() > 400);

    Path other = dir.resolve("c.png");
    Result j =
        cpu(
            "eval",
            "--checkpoint",
            run.resolve("best.ccl").toString(),
            "--json",
            "--quiet",
            "--confusion-png",
            other.toString());
    assertEquals(0, j.code(), j.err());
    JsonObject o = JsonParser.parseString(j.out().strip()).getAsJsonObject();
    JsonArray matrix = o.getAsJsonArray("confusion");
    long total = 0;
    long diagonal = 0;
    for (int a = 0; a < 10; a++) {
      JsonArray row = matrix.get(a).getAsJsonArray();
      assertEquals(10, row.size());
      for (int p = 0; p < 10; p++) {
        total += row.get(p).getAsLong();
        diagonal += a == p ? row.get(p).getAsLong() : 0;
      }
    }
    assertEquals(2000, total, "every test image is in the matrix once");
    assertEquals(o.get("accuracy").getAsDouble(), diagonal / 2000.0, 1e-9);
    JsonObject topK = o.getAsJsonObject("top_k");
    assertTrue(topK.get("top_5").getAsDouble() >= topK.get("top_1").getAsDouble());
    assertEquals(10, o.getAsJsonArray("per_class").size());
    assertTrue(Files.size(other) > 0);
  }

  @Test
  void predictReportsUnreadableFilesAndStillPredictsTheRest() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainWithControls(run).code());
    Dataset test = DataSources.load("mnist", null).test();
    Path good = dir.resolve("digit.png");
    writeGrey(test.image(0), good);
    Path broken = dir.resolve("broken.png");
    Files.writeString(broken, "not a picture");
    Path missing = dir.resolve("missing.png");
    Result p =
        cpu(
            "predict",
            "--checkpoint",
            run.toString(),
            "--top-k",
            "1",
            broken.toString(),
            good.toString(),
            missing.toString());
    assertEquals(1, p.code(), p.err());
    assertTrue(p.err().contains("broken.png") && p.err().contains("missing.png"), p.err());
    assertTrue(p.err().contains("2 of 3 files could not be read"), p.err());
    assertTrue(p.out().contains("digit.png: "), p.out());
    assertEquals(1, p.out().strip().lines().count(), p.out());

    Result j =
        cpu(
            "predict",
            "--checkpoint",
            run.toString(),
            "--json",
            good.toString(),
            broken.toString());
    assertEquals(1, j.code());
    List<String> lines = j.out().strip().lines().toList();
    assertEquals(2, lines.size(), j.out());
    for (String line : lines) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if (o.get("file").getAsString().endsWith("digit.png")) {
        JsonArray top = o.getAsJsonArray("top");
        assertEquals(3, top.size());
        assertTrue(top.get(0).getAsJsonObject().has("probability"), line);
      } else {
        assertTrue(o.get("error").getAsString().contains("not an image"), line);
      }
    }
  }

  @Test
  void invertAndTransparencyGiveTheModelWhatItLearnt() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainWithControls(run).code());
    Dataset test = DataSources.load("mnist", null).test();
    byte[] digit = test.image(0);
    // The same digit three ways: as trained (light on dark), dark on light, and dark strokes on a
    // transparent ground.
    Path asTrained = dir.resolve("a.png");
    writeGrey(digit, asTrained);
    byte[] inverted = digit.clone();
    for (int i = 0; i < inverted.length; i++) {
      inverted[i] = (byte) (255 - (inverted[i] & 0xff));
    }
    Path darkOnLight = dir.resolve("b.png");
    writeGrey(inverted, darkOnLight);
    BufferedImage clear = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
    for (int i = 0; i < 784; i++) {
      int alpha = digit[i] & 0xff;
      clear.setRGB(i % 28, i / 28, alpha << 24);
    }
    Path transparent = dir.resolve("c.png");
    ImageIO.write(clear, "png", transparent.toFile());

    String plain = predicted(run, asTrained, false);
    assertEquals(plain, predicted(run, darkOnLight, true), "--invert undoes dark on light");
    assertEquals(plain, predicted(run, transparent, true), "black ink on transparent, inverted");
  }

  private static String predicted(Path run, Path image, boolean invert) {
    Result r =
        invert
            ? cpu("predict", "--checkpoint", run.toString(), "--json", "--invert", image.toString())
            : cpu("predict", "--checkpoint", run.toString(), "--json", image.toString());
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
    JsonObject best = o.getAsJsonArray("top").get(0).getAsJsonObject();
    return best.get("class").getAsString() + " " + best.get("probability").getAsString();
  }

  /** RGB, not TYPE_BYTE_GRAY: Java's grey images convert values through a linear colour space. */
  private static void writeGrey(byte[] px, Path file) throws IOException {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 784; i++) {
      int v = px[i] & 0xff;
      img.setRGB(i % 28, i / 28, 0xff000000 | v << 16 | v << 8 | v);
    }
    ImageIO.write(img, "png", file.toFile());
  }

  @Test
  void theBarAndColoursAreForTerminalsOnly() {
    assertEquals(
        new Terminal(false, false, 0), Terminal.detect(false, Map.of()), "a pipe: plain lines");
    assertEquals(new Terminal(true, true, 0), Terminal.detect(true, Map.of()));
    assertEquals(new Terminal(true, false, 0), Terminal.detect(true, Map.of("NO_COLOR", "1")));
    assertEquals(new Terminal(true, true, 0), Terminal.detect(true, Map.of("NO_COLOR", "")));
    assertEquals(new Terminal(false, false, 0), Terminal.detect(true, Map.of("TERM", "dumb")));
    assertEquals(new Terminal(true, true, 132), Terminal.detect(true, Map.of("COLUMNS", "132")));
    assertArrayEquals(
        new boolean[] {false, false},
        new boolean[] {
          Terminal.detect(true, Map.of("COLUMNS", "x")).width() != 0,
          Terminal.detect(true, Map.of("COLUMNS", "10")).width() != 40
        },
        "a bad COLUMNS is ignored; a tiny one is raised to 40");
  }

  @Test
  void aModelTooLargeForTheHeapIsAFailureThatNamesTheOptions() {
    // 784 x 2 x 10^6 weights (6.3 GB, more than the test heap of 4 GB): refused before anything is
    // allocated, in library words, then the CLI
    // names its options.
    Result r =
        cpu(
            "train",
            "--model",
            "dense2000000-dense10",
            "--run-dir",
            dir.resolve("r").toString(),
            "--quiet");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("smaller batch size"), r.err());
    assertTrue(r.err().contains("--batch") && r.err().contains("CONVCL_JAVA_OPTS"), r.err());
  }
}
