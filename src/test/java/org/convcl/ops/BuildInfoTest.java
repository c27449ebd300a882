package org.convcl.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build Maven made names its version and time, and auto's calibration key carries it, so a new
 * build measures again instead of reusing an older build's figures.
 */
class BuildInfoTest {
  @Test
  void mavenBuildsNameTheirVersionAndTime() {
    String id = BuildInfo.id();
    assertTrue(
        id.matches("\\d+\\.\\d+\\.\\d+\\S* built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
        "build id: " + id);
  }

  @Test
  void theCalibrationKeyCarriesTheBuild() {
    String key = AutoCalibration.key(List.of());
    assertTrue(key.contains("convcl " + BuildInfo.id() + ";"), key);
  }
}
