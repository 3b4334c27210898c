package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageSettingsTest {
  @TempDir
  Path dir;

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private StorageSettings read(Map<String, String> env) {
    return StorageSettings.read(env, List.of(dir.resolve("data"), dir.resolve("backups")));
  }

  @Test
  void withoutStorageUrlArchivesStayInBackupDir() {
    StorageSettings s = read(env());

    assertThat(s.shared()).isNull();
    assertThat(s.problem()).isNull();
    assertThat(s.ignored()).isEmpty();
  }

  @Test
  void settingsOfAStoreWithoutStorageUrlAreNamedAsIgnored() {
    StorageSettings s = read(env("STORAGE_ACCESS_KEY_ID", "key", "STORAGE_CACHE_MB", "64", "STORAGE_URL", " "));

    assertThat(s.shared()).isNull();
    assertThat(s.ignored()).containsExactly("STORAGE_ACCESS_KEY_ID", "STORAGE_CACHE_MB");
  }

  @Test
  void aBucketTakesItsEndpointRegionAndStyleFromTheUrlAndItsSecretFromAFile() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t\n");

    StorageSettings s = read(env("STORAGE_URL", "s3://checkpoint/cluster-a?endpoint=https%3A%2F%2Fs3.example.net&region=eu-central-003&path_style=true",
        "STORAGE_ACCESS_KEY_ID", "key", "STORAGE_SECRET_ACCESS_KEY_FILE", secret.toString(), "STORAGE_CACHE_MB", "64"));

    assertThat(s.problem()).isNull();
    assertThat(s.shared().describe()).isEqualTo("s3://checkpoint/cluster-a/ at https://s3.example.net");
    assertThat(s.cacheBytes()).isEqualTo(64L << 20);
  }

  @Test
  void aMountedFolderIsTheSharedStore() throws Exception {
    Path share = Files.createDirectories(dir.resolve("share"));

    StorageSettings s = read(env("STORAGE_URL", share.toUri().toString()));

    assertThat(s.problem()).isNull();
    assertThat(s.shared().describe()).contains(share.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ftp://nas/checkpoint | STORAGE_URL must start with file:// (a folder every node mounts) or s3:// (a bucket)",
      "s3://checkpoint/x?colour=blue | STORAGE_URL has an option ?colour= that is none of endpoint=, region= and path_style=",
      "s3://checkpoint/x?region=Europe | STORAGE_URL's region= must be a region name",
      "s3://checkpoint/x?endpoint=s3.example.net | STORAGE_URL's endpoint= must be the store's address",
      "s3://checkpoint/x?path_style=yes | STORAGE_URL's path_style= must be true",
      "s3://user:pw@checkpoint/x | STORAGE_URL must be s3://bucket or s3://bucket/prefix",
      "file:relative/folder | STORAGE_URL must be a mounted folder such as file:///mnt/share/checkpoint",
      "not a url | STORAGE_URL is not a URL",
  })
  void aBadSettingIsNamedAndStopsNothing(String url, String message) {
    StorageSettings s = read(env("STORAGE_URL", url, "STORAGE_ACCESS_KEY_ID", "key", "STORAGE_SECRET_ACCESS_KEY", "s3cr3t"));

    assertThat(s.problem()).contains(message).doesNotContain("pw@").doesNotContain("s3cr3t");
    assertThat(s.shared()).isNotNull(); // refuses every call, saying the same
  }

  @Test
  void aSharedFolderInsideBackupDirIsRefused() {
    StorageSettings s = read(env("STORAGE_URL", dir.resolve("backups").resolve("shared").toUri().toString()));

    assertThat(s.problem()).contains("STORAGE_URL is in (or around)", "BACKUP_DIR", "mount the share elsewhere");
  }

  @Test
  void aBucketWithoutCredentialsIsNamed() {
    StorageSettings s = read(env("STORAGE_URL", "s3://checkpoint/x"));

    assertThat(s.problem()).contains("STORAGE_ACCESS_KEY_ID is required");
  }

  @Test
  void aKeyIdWithoutItsSecretIsNamed() {
    StorageSettings s = read(env("STORAGE_URL", "s3://checkpoint/x", "STORAGE_ACCESS_KEY_ID", "key"));

    assertThat(s.problem()).contains("STORAGE_SECRET_ACCESS_KEY (or STORAGE_SECRET_ACCESS_KEY_FILE) is required");
  }

  @Test
  void aCacheSizeOutOfRangeIsNamed() {
    StorageSettings s = read(env("STORAGE_URL", "s3://checkpoint/x", "STORAGE_CACHE_MB", "-1"));

    assertThat(s.problem()).contains("STORAGE_CACHE_MB");
  }

  @Test
  void anOffsiteDestinationInTheSharedFolderIsNoOffsiteCopy() {
    Path share = dir.resolve("share");
    Map<String, String> env = env("STORAGE_URL", share.toUri().toString(), "OFFSITE_NAS_URL", share.resolve("offsite").toUri().toString(),
        "OFFSITE_NAS_ENCRYPT", "false");

    OffsiteSettings offsite = OffsiteSettings.read(env, false, StorageSettings.ownFolders(env, dir.resolve("data"), dir.resolve("backups")));

    assertThat(offsite.disabled().get("NAS")).contains("OFFSITE_NAS_URL is in (or around) " + share, "no off-site copy");
  }
}
