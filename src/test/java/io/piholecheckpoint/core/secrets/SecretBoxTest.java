package io.piholecheckpoint.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private final SecretBox box = new SecretBox(new byte[32]);

  @Test
  void opensWhatItSealedAndNeverSealsTheSameWayTwice() {
    String a = box.seal("labpass");
    String b = box.seal("labpass");

    assertThat(a).isNotEqualTo(b).doesNotContain("labpass");
    assertThat(box.open(a)).isEqualTo("labpass");
  }

  @Test
  void refusesASecretSealedWithAnotherKeyWithAnActionableMessage() {
    byte[] other = new byte[32];
    Arrays.fill(other, (byte) 7);
    String sealed = new SecretBox(other).seal("labpass");

    assertThatThrownBy(() -> box.open(sealed)).isInstanceOf(SecretBox.SecretUnavailableException.class)
        .hasMessageContaining("FIELD_ENCRYPTION_KEY").hasMessageContaining("enter the secret again");
  }

  @Test
  void refusesATamperedSecret() {
    String sealed = box.seal("labpass");
    String tampered = sealed.substring(0, sealed.length() - 3) + (sealed.endsWith("A==") ? "B==" : "A==");

    assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(SecretBox.SecretUnavailableException.class);
  }
}
