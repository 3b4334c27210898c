package io.piholecheckpoint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.piholecheckpoint.testing.Receiver;
import io.piholecheckpoint.testing.RecordingPause;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every provider against a local stand-in: the request it sends, its payload and its escaping. */
class ProvidersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Notification FAILED = new Notification(NotifyEvent.BACKUP_FAILED, "Home", "Backup of 'Home' failed",
      "Pi-hole 'Home' at https://pi.hole answered 401 [wrong_password] (check PIHOLE_HOME_PASSWORD). Fix_it_*now*!",
      Instant.parse("2026-11-27T03:00:00Z"));

  private final RecordingPause pause = new RecordingPause();
  private final Outbound outbound = new Outbound(pause);
  private final Receiver receiver = new Receiver();

  ProvidersTest() throws Exception {
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private Receiver.Request only() {
    assertThat(receiver.requests()).hasSize(1);
    return receiver.requests().get(0);
  }

  private static JsonNode json(Receiver.Request r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void discordGetsTheTitleInBoldAndNoMentions() throws Exception {
    assertThat(Providers.discord(receiver.url() + "/api/webhooks/1/abc", outbound).deliver(FAILED).delivered()).isTrue();

    Receiver.Request r = only();
    assertThat(r.path()).isEqualTo("/api/webhooks/1/abc");
    assertThat(json(r).get("content").asText()).startsWith("**Backup of 'Home' failed**\n").contains("wrong_password");
    assertThat(json(r).at("/allowed_mentions/parse")).isEmpty();
  }

  @Test
  void discordMessagesAreCutToTwoThousandCharacters() throws Exception {
    Notification longOne = new Notification(NotifyEvent.BACKUP_FAILED, "Home", "T", "x".repeat(5000), Instant.now());

    Providers.discord(receiver.url() + "/hook", outbound).deliver(longOne);

    assertThat(json(only()).get("content").asText()).hasSize(2000).endsWith("…");
  }

  @Test
  void slackGetsEscapedPlainText() throws Exception {
    Notification markup = new Notification(NotifyEvent.BACKUP_FAILED, "Home", "A <b> & c", "<!channel>", Instant.now());

    Providers.slack(receiver.url() + "/services/T/B/X", outbound).deliver(markup);

    assertThat(json(only()).get("text").asText()).isEqualTo("A &lt;b&gt; &amp; c\n&lt;!channel&gt;");
  }

  @Test
  void telegramEscapesEveryMarkdownV2CharacterTheBackslashFirst() throws Exception {
    Notification all = new Notification(NotifyEvent.BACKUP_FAILED, "Home", "a_b", "\\ _*[]()~`>#+-=|{}.! end", Instant.now());

    Providers.telegram(receiver.url(), "123:SECRET", "-1001", outbound).deliver(all);

    Receiver.Request r = only();
    assertThat(r.path()).isEqualTo("/bot123:SECRET/sendMessage");
    assertThat(json(r).get("parse_mode").asText()).isEqualTo("MarkdownV2");
    assertThat(json(r).get("chat_id").asText()).isEqualTo("-1001");
    assertThat(json(r).get("text").asText())
        .isEqualTo("*a\\_b*\n\\\\ \\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\! end");
  }

  @Test
  void pushbulletSendsANoteWithTheKeyAsAHeader() throws Exception {
    Providers.pushbullet(receiver.url(), "o.KEY", outbound).deliver(FAILED);

    Receiver.Request r = only();
    assertThat(r.path()).isEqualTo("/v2/pushes");
    assertThat(r.header("Access-Token")).isEqualTo("o.KEY");
    assertThat(json(r).get("type").asText()).isEqualTo("note");
    assertThat(json(r).get("title").asText()).isEqualTo("Backup of 'Home' failed");
  }

  @Test
  void homeAssistantByWebhookOrByEventWithAToken() throws Exception {
    Providers.homeAssistant(receiver.url(), null, "checkpoint-hook", outbound).deliver(FAILED);
    Providers.homeAssistant(receiver.url() + "/", "LONG.LIVED", null, outbound).deliver(FAILED);

    Receiver.Request webhook = receiver.requests().get(0);
    Receiver.Request event = receiver.requests().get(1);
    assertThat(webhook.path()).isEqualTo("/api/webhook/checkpoint-hook");
    assertThat(webhook.header("Authorization")).isNull();
    assertThat(event.path()).isEqualTo("/api/events/pihole_checkpoint");
    assertThat(event.header("Authorization")).isEqualTo("Bearer LONG.LIVED");
    assertThat(json(event).get("event").asText()).isEqualTo("backup_failed");
    assertThat(json(event).get("instance").asText()).isEqualTo("Home");
  }

  @Test
  void ntfyPutsTheTitleAndPriorityInHeaders() throws Exception {
    Providers.ntfy(receiver.url(), "backups", "tk_secret", outbound).deliver(FAILED);

    Receiver.Request r = only();
    assertThat(r.path()).isEqualTo("/backups");
    assertThat(r.header("Title")).isEqualTo("Backup of 'Home' failed");
    assertThat(r.header("Priority")).isEqualTo("high");
    assertThat(r.header("Authorization")).isEqualTo("Bearer tk_secret");
    assertThat(r.body()).isEqualTo(FAILED.message());
  }

  @Test
  void gotifyGetsTheTokenAsAHeaderNotInTheUrl() throws Exception {
    Providers.gotify(receiver.url(), "AppToken", outbound).deliver(FAILED);

    Receiver.Request r = only();
    assertThat(r.path()).isEqualTo("/message");
    assertThat(r.header("X-Gotify-Key")).isEqualTo("AppToken");
    assertThat(json(r).get("priority").asInt()).isEqualTo(8);
  }

  @Test
  void theGenericWebhookHasFixedFieldsAndTheConfiguredMethodAndHeaders() throws Exception {
    Providers.webhook(receiver.url() + "/hook", "PUT", Map.of("X-Api-Key", "k1"), outbound).deliver(FAILED);

    Receiver.Request r = only();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.header("X-Api-Key")).isEqualTo("k1");
    JsonNode body = json(r);
    assertThat(body.get("app").asText()).isEqualTo("pihole-checkpoint");
    assertThat(body.get("event").asText()).isEqualTo("backup_failed");
    assertThat(body.get("severity").asText()).isEqualTo("error");
    assertThat(body.get("instance").asText()).isEqualTo("Home");
    assertThat(body.get("title").asText()).isEqualTo(FAILED.title());
    assertThat(body.get("message").asText()).isEqualTo(FAILED.message());
    assertThat(body.get("timestamp").asText()).isEqualTo("2026-11-27T03:00:00Z");
  }

  @Test
  void retriesAReceiverThatFailsTwiceThenSucceeds() {
    receiver.answer(503, 502);

    Outbound.Result result = Providers.webhook(receiver.url() + "/hook", "POST", Map.of(), outbound).deliver(FAILED);

    assertThat(result.delivered()).isTrue();
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(pause.pauses()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void waitsOutA429AsToldAndNeverRetriesA400() {
    receiver.answerTooManyRequests(7);
    assertThat(Providers.webhook(receiver.url() + "/hook", "POST", Map.of(), outbound).deliver(FAILED).delivered()).isTrue();
    assertThat(pause.pauses()).containsExactly(Duration.ofSeconds(7));

    receiver.answer(400);
    Outbound.Result refused = Providers.webhook(receiver.url() + "/hook", "POST", Map.of(), outbound).deliver(FAILED);
    assertThat(refused.delivered()).isFalse();
    assertThat(refused.attempts()).isEqualTo(1);
    assertThat(refused.error()).startsWith("HTTP 400");
  }

  @Test
  void eMailArrivesThroughSmtp() throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try {
      smtp.setUser("checkpoint@example.org", "mailuser", "mailpass");
      Provider email = Providers.email("127.0.0.1", smtp.getSmtp().getPort(), "none", "mailuser", "mailpass",
          "checkpoint@example.org", "admin@example.org, second@example.org");

      Outbound.Result result = email.deliver(FAILED);

      assertThat(result.delivered()).as(String.valueOf(result.error())).isTrue();
      MimeMessage[] received = smtp.getReceivedMessages();
      assertThat(received).hasSize(2);
      assertThat(received[0].getSubject()).isEqualTo("[Pi-hole Checkpoint] Backup of 'Home' failed");
      assertThat(received[0].getContent().toString()).contains("wrong_password");
      assertThat(received[0].getFrom()[0].toString()).isEqualTo("checkpoint@example.org");
    } finally {
      smtp.stop();
    }
  }
}
