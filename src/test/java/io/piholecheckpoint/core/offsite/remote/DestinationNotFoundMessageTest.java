package io.piholecheckpoint.core.offsite.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationNotFoundMessageTest {
  @Test
  void withNoDestinationItNamesSettingsAsWellAsTheEnvironment() {
    assertThat(new DestinationNotFoundException("nosuch", List.of()).getMessage())
        .isEqualTo("no off-site destination 'nosuch' is configured (none is: add one in Settings, or set OFFSITE_<NAME>_URL)");
  }

  @Test
  void namesTheOnesThereAre() {
    assertThat(new DestinationNotFoundException("nosuch", List.of("B2", "NAS")).getMessage())
        .isEqualTo("no off-site destination 'nosuch' is configured (there are B2, NAS)");
  }

  @Test
  void oneNotAddedInSettingsSaysSoAndWhereTheOthersChange() {
    assertThat(DestinationNotFoundException.inSettings("F1", List.of()).getMessage())
        .isEqualTo("no off-site destination 'F1' was added in Settings (none was; destinations set by OFFSITE_<NAME>_* variables are changed"
            + " in the environment)");
    assertThat(DestinationNotFoundException.inSettings("F1", List.of("G1")).getMessage())
        .isEqualTo("no off-site destination 'F1' was added in Settings (there are G1; destinations set by OFFSITE_<NAME>_* variables are"
            + " changed in the environment)");
  }
}
