package io.piholecheckpoint.offsite.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the S3 destination refuses in its settings, before it talks to any store. */
class S3DestinationTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static S3Destination with(String url, Map<String, String> changes) {
    Map<String, String> options = new HashMap<>(Map.of("ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "SECRET_ACCESS_KEY", SECRET));
    options.putAll(changes);
    options.values().removeIf(String::isEmpty);
    return new S3Destination(new DestinationConfig("B2", URI.create(url), options, DestinationConfig.DEFAULT_TIMEOUT));
  }

  private static void refused(String url, Map<String, String> options, String variable) {
    assertThatThrownBy(() -> with(url, options)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable).hasMessageNotContaining(SECRET);
  }

  @Test
  void describesTheBucketPrefixAndEndpointWithoutCredentials() {
    try (S3Destination d = with("s3://backups/pihole/", Map.of("ENDPOINT", "https://s3.eu-central-003.backblazeb2.com"))) {
      assertThat(d.describe()).isEqualTo("s3://backups/pihole/ at https://s3.eu-central-003.backblazeb2.com")
          .doesNotContain(SECRET).doesNotContain("AKIA");
    }
    try (S3Destination d = with("s3://backups", Map.of("REGION", "eu-west-1"))) {
      assertThat(d.describe()).isEqualTo("s3://backups/ (AWS eu-west-1)");
    }
  }

  @Test
  void refusesAUrlThatIsNotABucketAndDoesNotRepeatCredentialsPutInIt() {
    refused("s3:///prefix", Map.of(), "OFFSITE_B2_URL");
    refused("https://backups/prefix", Map.of(), "OFFSITE_B2_URL");
    refused("s3://b/a/../x", Map.of(), "OFFSITE_B2_URL");
    assertThatThrownBy(() -> with("s3://AKIA:" + "hunter2secret@backups/x", Map.of()))
        .hasMessageContaining("OFFSITE_B2_URL").hasMessageNotContaining("hunter2secret");
  }

  @Test
  void aBucketNameOutsideS3sNamingRulesIsRefusedSayingTheRules() {
    for (String bucket : List.of("Bucket_1", "Backups", "my_bucket", "ab", "b".repeat(64), "-backups", "backups-", "my..bucket", "192.168.1.10",
        "xn--backups")) {
      assertThatThrownBy(() -> with("s3://" + bucket + "/x", Map.of())).as(bucket)
          .hasMessageContaining("OFFSITE_B2_URL names no valid S3 bucket: a bucket's name is 3-63 characters of lower-case letters, digits,"
              + " dots and hyphens");
    }
    for (String bucket : List.of("abc", "b".repeat(63), "pihole.backups-2", "1backups")) {
      with("s3://" + bucket + "/x", Map.of()).close();
    }
  }

  @Test
  void requiresTheKeyAndItsSecret() {
    refused("s3://backups", Map.of("ACCESS_KEY_ID", ""), "OFFSITE_B2_ACCESS_KEY_ID");
    refused("s3://backups", Map.of("SECRET_ACCESS_KEY", ""), "OFFSITE_B2_SECRET_ACCESS_KEY_FILE");
  }

  @Test
  void refusesAnEndpointWithAQueryNamingTheQueryAsTheProblem() {
    assertThatThrownBy(() -> with("s3://backups", Map.of("ENDPOINT", "http://127.0.0.1:9000/?region=x"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OFFSITE_B2_ENDPOINT").hasMessageContaining("without a query").hasMessageNotContaining("credentials");
  }

  @Test
  void refusesABadEndpointRegionOrPathStyle() {
    refused("s3://backups", Map.of("ENDPOINT", "s3.example.com"), "OFFSITE_B2_ENDPOINT");
    refused("s3://backups", Map.of("ENDPOINT", "https://key:" + SECRET + "@s3.example.com"), "OFFSITE_B2_ENDPOINT");
    refused("s3://backups", Map.of("REGION", "EU West"), "OFFSITE_B2_REGION");
    refused("s3://backups", Map.of("PATH_STYLE", "yes"), "OFFSITE_B2_PATH_STYLE");
  }
}
