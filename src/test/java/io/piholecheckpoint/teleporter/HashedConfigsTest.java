package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveInspector.Inspection;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pihole.toml's part of the content hash taken from the last one hashed: only where hashing it again would give the same. */
class HashedConfigsTest {
  @TempDir
  Path dir;

  private static final String BASE = "[dns]\n# Last updated on 2026-11-27 07:51:58 UTC\nhosts = [ \"1.2.3.4 a\" ]\n";

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC\\nhosts = [ \"1.2.3.4 a\" ]\\n | true",
      "[dns]\\n# Last updated on 2026-12-04 20:01:02 UTC\\nhosts = [ \"1.2.3.4 a\" ]\\n | true",
      "[dns]\\n# Last updated on Fri Dec  4 20:01:02 2026 and longer\\nhosts = [ \"1.2.3.4 a\" ]\\n | true",
      "[dns]\\n# Last updated\\nhosts = [ \"1.2.3.4 a\" ]\\n | true",
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC\\nhosts = [ \"1.2.3.5 a\" ]\\n | false",
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC\\nhosts = [ \"1.2.3.4 a\" ]\\nx = 1\\n | false",
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC\\nhosts = [ \"1.2.3.4 a\" ] | false",
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC\"\\nhosts = [ \"1.2.3.4 a\" ]\\n | false",
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC]\\nhosts = [ \"1.2.3.4 a\" ]\\n | false",
      "[dns]\\n# Last updatex on 2026-11-27 07:51:58 UTC\\nhosts = [ \"1.2.3.4 a\" ]\\n | false",
      "[dns]\\nhosts = [ \"1.2.3.4 a\" ]\\n | false",
      "[dns]\\n# Last updated on 2026-11-27 07:51:58 UTC\\n# Last updated x\\nhosts = [ \"1.2.3.4 a\" ]\\n | false",
      "[dnsx]\\n# Last updated on 2026-11-27 07:51:58 UTC\\nhosts = [ \"1.2.3.4 a\" ]\\n | false",
  })
  void reusesOnlyWhenTheTextsDifferInHarmlessLastUpdatedLines(String now, boolean same) {
    assertThat(HashedConfigs.sameButLastUpdated(unescape(now).getBytes(StandardCharsets.UTF_8), BASE.getBytes(StandardCharsets.UTF_8))).isEqualTo(same);
  }

  /** Whatever was hashed before, the digest and key given are those a fresh hashing of the text gives. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[dns]\\n# Last updated on 2026-12-04 20:01:02 UTC\\nhosts = [ \"1.2.3.4 a\" ]\\n",
      "[dns]\\n# Last updated on 2026-12-04 20:01:02 UTC\\nhosts = [ \"1.2.3.4 a\" ]",
      "[dns]\\nhosts = [ \"1.2.3.4 a\" ]\\n# Last updated on 2026-12-04",
      "[dns]\\nhosts = [ \"1.2.3.4 a\" ]\\n# Last updated on 2026-12-04\\n",
      "[dns]\\n# Last updated on 2026-12-04 20:01:02 UTC\\nhosts = [ \"1.2.3.5 a\" ]\\n",
      "[dns]\\n# Last updated on 2026-12-04 20:01:02 UTC\"\\nhosts = [ \"1.2.3.4 a\" ]\\n",
  })
  void givesWhatHashingTheTextAgainGives(String escaped) throws Exception {
    String text = unescape(escaped);
    HashedConfigs configs = new HashedConfigs();
    for (String before : new String[] {BASE, "[dns]\nhosts = [ \"1.2.3.4 a\" ]\n# Last updated x", text}) {
      configs.hash(before.getBytes(StandardCharsets.UTF_8), before, prefixed("a\n"));
    }
    MessageDigest fresh = prefixed("a\n");
    String freshKey = TeleporterInspector.hashConfig(text.getBytes(StandardCharsets.UTF_8), text, fresh);

    HashedConfigs.Hashed hashed = configs.hash(text.getBytes(StandardCharsets.UTF_8), text, prefixed("a\n"));

    assertThat(hashed.key()).isEqualTo(freshKey);
    assertThat(HexFormat.of().formatHex(hashed.digest().digest())).isEqualTo(HexFormat.of().formatHex(fresh.digest()));
  }

  /** What came before pihole.toml in the archive is part of the digest: another prefix is hashed anew. */
  @Test
  void hashesAgainAfterAnotherPrefix() throws Exception {
    HashedConfigs configs = new HashedConfigs();
    configs.hash(BASE.getBytes(StandardCharsets.UTF_8), BASE, prefixed("a\n"));
    MessageDigest fresh = prefixed("b\n");
    TeleporterInspector.hashConfig(BASE.getBytes(StandardCharsets.UTF_8), BASE, fresh);

    HashedConfigs.Hashed hashed = configs.hash(BASE.getBytes(StandardCharsets.UTF_8), BASE, prefixed("b\n"));

    assertThat(hashed.digest().digest()).isEqualTo(fresh.digest());
  }

  /** The digest handed back goes on by itself: feeding it does not change what the next reuse gives. */
  @Test
  void aDigestHandedBackIsTheCallersOwn() throws Exception {
    HashedConfigs configs = new HashedConfigs();
    configs.hash(BASE.getBytes(StandardCharsets.UTF_8), BASE, prefixed("a\n")).digest().update((byte) 1);
    configs.hash(BASE.getBytes(StandardCharsets.UTF_8), BASE, prefixed("a\n")).digest().update((byte) 2);
    MessageDigest fresh = prefixed("a\n");
    TeleporterInspector.hashConfig(BASE.getBytes(StandardCharsets.UTF_8), BASE, fresh);

    assertThat(configs.hash(BASE.getBytes(StandardCharsets.UTF_8), BASE, prefixed("a\n")).digest().digest()).isEqualTo(fresh.digest());
  }

  /** Archives in turn through one inspector, each against a fresh inspector: the stored content hashes stay what they were. */
  @Test
  void aWarmInspectorGivesEachArchiveWhatAFreshOneGives() throws Exception {
    TeleporterInspector warm = new TeleporterInspector();
    byte[] a = Fixtures.archiveA();
    byte[][] archives = {a, TestArchives.reexported(a), TestArchives.withSetting(a, "totp_secret", "JBSWY3DPEHPK3PXP"), a,
        Fixtures.archiveB(), TestArchives.reexported(Fixtures.archiveB()), a, TestArchives.withoutGravity(a), a};
    int i = 0;
    for (byte[] archive : archives) {
      Path file = Files.write(dir.resolve("archive-" + i++ + ".zip"), archive);
      Inspection fresh = new TeleporterInspector().inspect(file);

      assertThat(warm.inspect(file)).as("archive %d", i).isEqualTo(fresh);
    }
    assertThat(warm.inspect(Files.write(dir.resolve("a.zip"), a)).contentHash())
        .isEqualTo("9a861843dde5a184349bf9d03906c87d67747d978bcb0b3bb61bf08903475b38");
  }

  private static MessageDigest prefixed(String prefix) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(prefix.getBytes(StandardCharsets.UTF_8));
    return digest;
  }

  private static String unescape(String csv) {
    return csv.replace("\\n", "\n");
  }
}
