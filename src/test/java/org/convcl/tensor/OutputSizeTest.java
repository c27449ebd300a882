package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Output sizes computed by hand. Floor: the number of start positions 0, s, 2s, ... (in padded
 * coordinates) whose dilated window {@code d(k-1)+1} ends inside the padded length {@code n + lo +
 * hi}. Ceil (PyTorch): also count a last, partial window, unless it would start at or after {@code
 * n + lo}, where it could only see right padding.
 */
class OutputSizeTest {

  @ParameterizedTest(name = "floor(n={0}, pad {1}/{2}, k={3}, s={4}, d={5}) = {6}")
  @CsvSource({
    // starts 0..23 for a 5-wide window in 28
    "28, 0, 0, 5, 1, 1, 24",
    // padded length 7, window 3: starts 0, 2, 4 (6 would end at 8)
    "5, 1, 1, 3, 2, 1, 3",
    // dilation 2 spreads a 3-tap kernel over 5 cells: starts 0, 1, 2 in 7
    "7, 0, 0, 3, 1, 2, 3",
    // a window as long as the input fits exactly once whatever the stride
    "4, 0, 0, 4, 5, 1, 1",
    // asymmetric padding: length 6+0+2 = 8, window 4, stride 2: starts 0, 2, 4
    "6, 0, 2, 4, 2, 1, 3",
    // the window does not fit: no output
    "2, 0, 0, 3, 1, 1, 0",
    // stride 3 kernel 2 in 7: starts 0, 3 (6 would end at 8)
    "7, 0, 0, 2, 3, 1, 2",
  })
  void floorMode(int n, int lo, int hi, int k, int s, int d, int expected) {
    assertEquals(expected, OutputSize.floor(n, lo, hi, k, s, d));
  }

  @ParameterizedTest(name = "ceil(n={0}, pad {1}/{2}, k={3}, s={4}) = {5}")
  @CsvSource({
    // padded length 7, starts 0, 2, 4 cover it; rounding up adds a start at 6 = n + lo, i.e. a
    // window of right padding only, which the rule drops: 3, not 4
    "5, 1, 1, 2, 2, 3",
    // starts 0, 2 fit (floor 2); the partial window at 4 sees input cell 5: kept, 3
    "6, 0, 0, 3, 2, 3",
    // starts 0, 3 fit (floor 2); a window at 6 sees input cell 6: kept, 3
    "7, 0, 0, 2, 3, 3",
    // padded length 4: start 0 fits; rounding up adds a start at 3 = n + lo: dropped, 1
    "2, 1, 1, 2, 3, 1",
    // exact division: nothing to round, same as floor (starts 0, 2)
    "4, 0, 0, 2, 2, 2",
    // the window does not fit at all
    "1, 0, 0, 3, 1, 0",
  })
  void ceilModeFollowsPyTorch(int n, int lo, int hi, int k, int s, int expected) {
    assertEquals(expected, OutputSize.ceil(n, lo, hi, k, s, 1));
  }
}
