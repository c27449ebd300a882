package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ClOps.close releases through ReleaseAll: a failing step must not skip the later ones. */
class ReleaseAllTest {

  @Test
  void everyStepRunsAndTheFirstFailureCarriesTheOthers() {
    List<String> ran = new ArrayList<>();
    IllegalStateException first = new IllegalStateException("queue");
    IllegalStateException second = new IllegalStateException("context");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                ReleaseAll.run(
                    () -> ran.add("events"),
                    () -> {
                      ran.add("programs");
                      throw first;
                    },
                    () -> ran.add("buffers"),
                    () -> {
                      ran.add("runtime");
                      throw second;
                    }));
    assertEquals(List.of("events", "programs", "buffers", "runtime"), ran);
    assertSame(first, thrown);
    assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());
  }

  @Test
  void withoutFailuresNothingIsThrown() {
    List<String> ran = new ArrayList<>();
    ReleaseAll.run(() -> ran.add("a"), () -> ran.add("b"));
    assertEquals(List.of("a", "b"), ran);
  }

  /** BufferPool and ProgramCache release their collections through each: no item is skipped. */
  @Test
  void eachAttemptsEveryItem() {
    List<Integer> released = new ArrayList<>();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ReleaseAll.each(
                    List.of(1, 2, 3),
                    i -> {
                      released.add(i);
                      if (i != 3) {
                        throw new IllegalStateException("buffer " + i);
                      }
                    }));
    assertEquals(List.of(1, 2, 3), released);
    assertEquals("buffer 1", e.getMessage());
    assertEquals(1, e.getSuppressed().length);
  }
}
