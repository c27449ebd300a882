package org.convcl.impl;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's choice table: which implementation and settings run for a pass, shape and device. Two
 * layers, looked up together: the defaults shipped in the jar ({@code
 * /org/convcl/choices/<backend>.json}) and the user's tuned entries ({@code
 * <cache>/choices/<backend>.json}, written by {@code convcl tune}). A lookup ranks the entries that
 * match by device specificity (exact device, architecture, vendor, device type, any), then exact
 * shape before {@code *}, then tuned before shipped; the caller takes the first it can use (see
 * {@link Chooser}). A user file that cannot be read is ignored with a warning, never fatal.
 */
public final class ChoiceTable {
  private static final Logger LOG = LoggerFactory.getLogger(ChoiceTable.class);
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** The file's outer object. */
  private record FileForm(String format, int version, String backend, List<TableEntry> entries) {}

  static final String FORMAT = "convcl-choices";
  static final int VERSION = 1;

  private final String backend;
  private final List<TableEntry> shipped;
  private final List<TableEntry> tuned;
  private final Path userFile;

  /** A table from explicit layers; {@code userFile} null: tuned entries are not saved. */
  public ChoiceTable(
      String backend, List<TableEntry> shipped, List<TableEntry> tuned, Path userFile) {
    this.backend = backend;
    this.shipped = List.copyOf(shipped);
    this.tuned = new ArrayList<>(tuned);
    this.userFile = userFile;
  }

  /** The shipped defaults of {@code backend} plus the user's tuned entries under {@code cache}. */
  public static ChoiceTable load(String backend, Path cache) {
    Path user = cache.resolve("choices").resolve(backend + ".json");
    return new ChoiceTable(backend, shipped(backend), readUser(user), user);
  }

  /** Only the shipped defaults (no user file read or written): for tests and {@code doctor}. */
  public static ChoiceTable shippedOnly(String backend) {
    return new ChoiceTable(backend, shipped(backend), List.of(), null);
  }

  private static List<TableEntry> shipped(String backend) {
    String resource = "/org/convcl/choices/" + backend + ".json";
    try (InputStream in = ChoiceTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        return List.of();
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), resource, backend);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the shipped choice table " + resource, e);
    }
  }

  private static List<TableEntry> readUser(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString(), null);
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring the tuned choice table {}: {}", file, e.getMessage());
      return List.of();
    }
  }

  private static List<TableEntry> parse(Reader r, String where, String expectedBackend) {
    FileForm f;
    try {
      f = GSON.fromJson(r, FileForm.class);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          where + ": not a choice table (" + e.getMessage() + ")", e);
    }
    if (f == null || !FORMAT.equals(f.format()) || f.version() != VERSION) {
      throw new IllegalArgumentException(
          where + ": not a version-" + VERSION + " " + FORMAT + " file");
    }
    if (expectedBackend != null && !expectedBackend.equals(f.backend())) {
      throw new IllegalArgumentException(
          where + ": is for backend " + f.backend() + ", not " + expectedBackend);
    }
    List<TableEntry> entries = f.entries() == null ? List.of() : f.entries();
    for (TableEntry e : entries) {
      if (e.pass() == null || e.shape() == null || e.implementation() == null) {
        throw new IllegalArgumentException(
            where + ": an entry lacks pass, shape or implementation");
      }
    }
    return entries;
  }

  public String backend() {
    return backend;
  }

  /** Where tuned entries are saved, or null. */
  public Path userFile() {
    return userFile;
  }

  /** Every entry that matches {@code shape} or {@code *}, best first (see the class comment). */
  public List<TableEntry> candidates(DeviceKey key, Pass pass, String shape) {
    return candidates(key, pass, List.of(shape, ShapeKey.ANY));
  }

  /**
   * Every entry that matches one of {@code shapes} (the exact key first, then the classes it
   * belongs to, most specific first, e.g. {@code pointwise} then {@code *}), best first.
   */
  public List<TableEntry> candidates(DeviceKey key, Pass pass, List<String> shapes) {
    return candidates(key, pass.label(), shapes);
  }

  /**
   * As above for a pass named by its label alone: an op outside {@link Pass} whose kernel takes a
   * tunable from the table (e.g. {@code maxPoolForward}'s outputs per work-item).
   */
  public List<TableEntry> candidates(DeviceKey key, String pass, List<String> shapes) {
    List<Ranked> ranked = new ArrayList<>();
    collect(tuned, 1, key, pass, shapes, ranked);
    collect(shipped, 0, key, pass, shapes, ranked);
    ranked.sort(
        Comparator.comparingInt(Ranked::level)
            .thenComparingInt(Ranked::exactShape)
            .thenComparingInt(Ranked::tuned)
            .reversed());
    return ranked.stream().map(Ranked::entry).toList();
  }

  /** Whether an entry came from the user's tuned layer (for the choice's source). */
  public boolean isTuned(TableEntry e) {
    return tuned.contains(e);
  }

  private record Ranked(TableEntry entry, int level, int exactShape, int tuned) {}

  private static void collect(
      List<TableEntry> layer,
      int tuned,
      DeviceKey key,
      String pass,
      List<String> shapes,
      List<Ranked> out) {
    for (TableEntry e : layer) {
      int level = e.level(key);
      int shape = shapes.indexOf(e.shape());
      if (level >= 0 && shape >= 0 && e.pass().equals(pass)) {
        out.add(new Ranked(e, level, shapes.size() - shape, tuned));
      }
    }
  }

  /** Adds a tuned entry, replacing one for the same pass, shape and device. */
  public void put(TableEntry e) {
    tuned.removeIf(e::sameSlot);
    tuned.add(e);
  }

  /** The tuned entries (a copy). */
  public List<TableEntry> tunedEntries() {
    return List.copyOf(tuned);
  }

  /** Writes the tuned layer to the user file, atomically (a temporary file, then a rename). */
  public void save() throws IOException {
    if (userFile == null) {
      throw new IllegalStateException("this choice table has no user file to save to");
    }
    String json = GSON.toJson(new FileForm(FORMAT, VERSION, backend, tunedEntries())) + "\n";
    CacheDirectory.writeAtomically(userFile, json.getBytes(StandardCharsets.UTF_8));
  }
}
