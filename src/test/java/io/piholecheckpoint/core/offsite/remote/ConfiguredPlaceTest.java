package io.piholecheckpoint.core.offsite.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfiguredPlaceTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      file:///mnt/nas/checkpoint                          | file:///mnt/nas/checkpoint
      sftp://checkpoint@nas.lan:2222/volume1/backup       | sftp://checkpoint@nas.lan:2222/volume1/backup
      sftp://checkpoint:secret@nas.lan/volume1            | sftp://checkpoint@nas.lan/volume1
      sftp://checkpoint:se/cr?e#t@nas.lan/volume1         | sftp://checkpoint@nas.lan/volume1
      webdav+https://me:pw@cloud.example/dav?token=abc    | webdav+https://me@cloud.example/dav
      s3://bucket/prefix#fragment                         | s3://bucket/prefix
      s3://AKIDLEAK1:S3CRETLEAK1@Bad_Bucket/p?X-Amz-Credential=AKID2#f | s3://Bad_Bucket/p
      s3://AKIDONLYLEAK14@bucket-ok/p                     | s3://bucket-ok/p
      s3://bucket-ok/p@x                                  | s3://bucket-ok/p@x
      me:secret@host/path                                 | me@host/path
      ftp://usb.local/x                                   | ftp://usb.local/x
      """)
  void showsWhereWithoutPasswordQueryOrFragment(String url, String shown) {
    assertThat(ConfiguredPlace.of(url)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      sftp://u:p@ss@w0rd@nas.lan/x       | p@ss@w0rd
      webdav+https://u:pw@h/p?x=a@b      | pw
      """)
  void neverShowsAPasswordThatHoldsAnAt(String url, String password) {
    assertThat(ConfiguredPlace.of(url)).doesNotContain(password).startsWith(url.substring(0, url.indexOf(':', url.indexOf("://") + 3)));
  }

  @org.junit.jupiter.api.Test
  void cutsALongUrlAndShowsNothingForNone() {
    assertThat(ConfiguredPlace.of("file:///" + "a".repeat(500))).hasSize(ConfiguredPlace.SHOWN_LENGTH + 1).endsWith("…");
    assertThat(ConfiguredPlace.of(" ")).isNull();
    assertThat(ConfiguredPlace.of(null)).isNull();
  }
}
