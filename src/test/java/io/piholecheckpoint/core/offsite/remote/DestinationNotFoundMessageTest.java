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
}
