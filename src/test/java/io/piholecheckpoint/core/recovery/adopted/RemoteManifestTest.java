package io.piholecheckpoint.core.recovery.adopted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The manifest beside an off-site copy, read back by an install that has nothing else. */
class RemoteManifestTest {
  private static final String SHA = "ab".repeat(32);

  private static String manifest(String instance, String fileName, String extra) {
    return """
        {
          "format": "pihole-checkpoint-offsite/1",
          "instance": %s,
          "instanceSlug": "home",
          "instanceUrl": "https://pi.hole",
          "backupId": 7,
          "trigger": "scheduled",
          "startedAt": "2026-12-02T03:00:00Z",
          "finishedAt": "2026-12-02T03:00:02Z",
          "fileName": "%s",
          "remoteKey": "home/%s.gpg",
          "archiveBytes": 22700,
          "archiveSha256": "%s",
          "uploadedBytes": 22876,
          "uploadedSha256": "%s",
          "encrypted": true,
          "contentHash": "%s",
          "summary": "2 adlists",
          "counts": "2,2,1,0,2,0,1,1,1,0",
          "piholeCore": null%s
        }
        """.formatted(instance, fileName, fileName, SHA, SHA, SHA, extra);
  }

  @Test
  void readsWhatTheManifestWriterWrites() {
    RemoteManifest m = RemoteManifest.parse(manifest("\"Home \\\"Pi\\\" \\u00e9\"", "home_20261202T030000Z_ab12cd.zip", ""));

    assertThat(m.instance()).isEqualTo("Home \"Pi\" é");
    assertThat(m.instanceUrl()).isEqualTo("https://pi.hole");
    assertThat(m.remoteKey()).isEqualTo("home/home_20261202T030000Z_ab12cd.zip.gpg");
    assertThat(m.finishedAt()).isEqualTo(Instant.parse("2026-12-02T03:00:02Z"));
    assertThat(m.archive().sizeBytes()).isEqualTo(22700);
    assertThat(m.archive().summary().adlists()).isEqualTo(2);
    assertThat(m.archive().versions().core()).isNull();
    assertThat(m.uploadedBytes()).isEqualTo(22876);
  }

  @Test
  void readsTheDomainsOfOtherTypesBesideTheTenCounts() {
    RemoteManifest m = RemoteManifest.parse(manifest("\"Home\"", "home_20261202T030000Z_ab12cd.zip", ", \"otherDomains\": 2"));

    assertThat(m.archive().summary().otherDomains()).isEqualTo(2);
    assertThat(m.archive().summary().domains()).isEqualTo(5);
  }

  /** Written by a build before the field: its domains were counted without them. */
  @Test
  void aManifestWithoutTheFieldHasNoDomainsOfOtherTypes() {
    RemoteManifest m = RemoteManifest.parse(manifest("\"Home\"", "home_20261202T030000Z_ab12cd.zip", ""));

    assertThat(m.archive().summary().otherDomains()).isZero();
    assertThat(m.archive().summary().domains()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"Home\"|home_20261202T030000Z_ab12cd.zip|, \"otherDomains\": -1|its otherDomains is not a count",
      "\"Home\"|home_20261202T030000Z_ab12cd.zip|, \"otherDomains\": \"2\"|its otherDomains is not a count",
      "\"Home\"|../../etc/passwd.zip||its fileName is not the name of a Pi-hole Checkpoint archive",
      "null|home_20261202T030000Z_ab12cd.zip||it has no instance",
      "\"Home\"|home_20261202T030000Z_ab12cd.zip|, \"nested\": {}|it is not a flat JSON object (at character",
      "\"Home\"|home_20261202T030000Z_ab12cd.zip|, \"instance\": \"Other\"|its key \"instance\" is given twice",
      "null|home_20261202T030000Z_ab12cd.zip|, \"instance\": \"Home\"|its key \"instance\" is given twice",
  })
  void aManifestThatCannotBeUsedSaysWhy(String instance, String fileName, String extra, String why) {
    assertThatThrownBy(() -> RemoteManifest.parse(manifest(instance, fileName, extra == null ? "" : extra)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(why);
  }

  @Test
  void anotherFormatIsRefused() {
    assertThatThrownBy(() -> RemoteManifest.parse("{\"format\": \"something-else/9\"}")).hasMessage("not a manifest of format pihole-checkpoint-offsite/1");
  }
}
