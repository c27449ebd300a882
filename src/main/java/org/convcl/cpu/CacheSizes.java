package org.convcl.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data cache sizes of the first core, in bytes, as Linux reports them under {@code
 * /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type}, {@code size} such as
 * {@code 32K}). Where that is missing (other systems, containers hiding /sys) the defaults are
 * those of a common current x86 or ARM core: 32 KiB L1d, 1 MiB L2, 8 MiB L3.
 */
record CacheSizes(int l1d, int l2, int l3) {
  static final CacheSizes DEFAULT = new CacheSizes(32 << 10, 1 << 20, 8 << 20);

  private static final Path SYS = Path.of("/sys/devices/system/cpu/cpu0/cache");

  /** The sizes read from /sys, each missing or unreadable level taken from {@link #DEFAULT}. */
  static CacheSizes detect() {
    int l1 = DEFAULT.l1d;
    int l2 = DEFAULT.l2;
    int l3 = DEFAULT.l3;
    for (int index = 0; index < 8; index++) {
      Path dir = SYS.resolve("index" + index);
      String level = read(dir.resolve("level"));
      String type = read(dir.resolve("type"));
      int size = parseSize(read(dir.resolve("size")));
      if (level == null || type == null || size <= 0 || type.equals("Instruction")) {
        continue;
      }
      switch (level) {
        case "1" -> l1 = size;
        case "2" -> l2 = size;
        case "3" -> l3 = size;
        default -> {}
      }
    }
    return new CacheSizes(l1, l2, l3);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /** {@code "32K"} to 32768; {@code "1M"}, plain bytes; -1 when it is not a size. */
  static int parseSize(String text) {
    if (text == null || text.isEmpty()) {
      return -1;
    }
    String t = text.toUpperCase(Locale.ROOT);
    int scale = 1;
    char last = t.charAt(t.length() - 1);
    if (last == 'K' || last == 'M') {
      scale = last == 'K' ? 1 << 10 : 1 << 20;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long bytes = Long.parseLong(t) * scale;
      return bytes > 0 && bytes <= Integer.MAX_VALUE ? (int) bytes : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
