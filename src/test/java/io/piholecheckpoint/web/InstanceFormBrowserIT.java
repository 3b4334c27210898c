package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.InProcessApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The instance form shows only the fields of the chosen TLS mode and schedule kind, switched as
 * the person changes the selects; without JavaScript every field stays visible. Checked by what
 * Chromium displays; screenshots of each mode go to target/screenshots.
 */
class InstanceFormBrowserIT {
  private static final List<String> SWITCHED = List.of("caPem", "fingerprint", "time", "day", "cron");

  // an instance from the environment: its form is read-only (disabled selects), and the same rules apply
  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().env(f -> Map.of("PIHOLE_HOME_URL", "https://127.0.0.1:9",
      "PIHOLE_HOME_TLS_FINGERPRINT", "AB".repeat(32), "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", "0 30 2 * * ?"));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  private static List<String> shown(WebDriver browser) {
    return SWITCHED.stream().filter(name -> browser.findElement(By.name(name)).isDisplayed()).toList();
  }

  private void choose(String select, String value) {
    new Select(browser.findElement(By.name(select))).selectByValue(value);
  }

  private void screenshot(String name) throws Exception {
    fixture.fitHeight();
    fixture.screenshot(browser.findElement(By.cssSelector("form.instance-form")), name);
  }

  @Test
  void showsOnlyTheFieldsOfTheChosenTlsModeAndScheduleKind() throws Exception {
    browser.get(app.url("/instances/new"));
    assertThat(shown(browser)).as("system trust, daily").containsExactly("time");
    assertThat(browser.findElement(By.name("timeoutSeconds")).isDisplayed()).as("every mode has a timeout").isTrue();
    screenshot("instance-form-system-daily");

    choose("tlsMode", "ca");
    choose("scheduleKind", "weekly");
    assertThat(shown(browser)).containsExactly("caPem", "time", "day");
    screenshot("instance-form-ca-weekly");

    choose("tlsMode", "fingerprint");
    choose("scheduleKind", "cron");
    assertThat(shown(browser)).containsExactly("fingerprint", "cron");
    assertThat(browser.findElement(By.cssSelector("[data-fetch-fingerprint]")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.cssSelector("[data-theme-toggle]")).isDisplayed()).isTrue();
    screenshot("instance-form-fingerprint-cron");

    choose("tlsMode", "insecure");
    choose("scheduleKind", "hourly");
    assertThat(shown(browser)).containsExactly("time");
    assertThat(browser.findElement(By.cssSelector("[data-fetch-fingerprint]")).isDisplayed()).isFalse();
    screenshot("instance-form-insecure-hourly");
  }

  @Test
  void showsOnlyTheFieldsThatApplyOnTheReadOnlyFormOfAnInstanceFromTheEnvironment() throws Exception {
    browser.get(app.url("/instances/1/edit"));

    assertThat(new Select(browser.findElement(By.name("tlsMode"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("fingerprint");
    assertThat(shown(browser)).containsExactly("fingerprint", "cron");
    assertThat(browser.findElement(By.name("url")).getCssValue("border-top-style")).as("read-only looks read-only").isEqualTo("dashed");
    screenshot("instance-form-from-environment");
  }

  @Test
  void keepsAFieldTheServerRefusedInSightWhateverIsChosen() throws Exception {
    browser.get(app.url("/instances/new"));
    browser.findElement(By.name("name")).sendKeys("Pinned");
    browser.findElement(By.name("url")).sendKeys("https://127.0.0.1:9");
    choose("tlsMode", "fingerprint");
    browser.findElement(By.name("fingerprint")).sendKeys("not-a-fingerprint");
    browser.findElement(By.cssSelector("form.instance-form button[type=submit]")).click();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("e-fingerprint")));
    assertThat(browser.findElement(By.id("e-fingerprint")).isDisplayed()).isTrue();
    choose("tlsMode", "system");
    assertThat(browser.findElement(By.id("e-fingerprint")).isDisplayed()).as("a message is never hidden").isTrue();
    assertThat(shown(browser)).containsExactly("fingerprint", "time");
  }

  @Test
  void showsEveryFieldWithoutJavaScript() throws Exception {
    fixture.scriptsOff();

    browser.get(app.url("/instances/new"));

    assertThat(shown(browser)).containsExactlyElementsOf(SWITCHED);
    assertThat(browser.findElement(By.cssSelector("[data-fetch-fingerprint]")).isDisplayed()).as("it needs the script").isFalse();
    assertThat(browser.findElement(By.cssSelector("[data-theme-toggle]")).isDisplayed()).as("it needs the script").isFalse();
    screenshot("instance-form-without-javascript");
  }

  private void submit() {
    browser.findElement(By.cssSelector("form.instance-form button[type=submit]")).click();
  }

  /** The instances as the API lists them. */
  private String saved() throws Exception {
    return app.get("/api/v1/instances").body();
  }

  @Test
  void refusesWithoutJavaScriptAFingerprintOrCronTheChosenModeDoesNotUse() throws Exception {
    fixture.scriptsOff();
    browser.get(app.url("/instances/new"));
    browser.findElement(By.name("name")).sendKeys("Typed");
    browser.findElement(By.name("url")).sendKeys("https://127.0.0.1:9");
    browser.findElement(By.name("fingerprint")).sendKeys("AB".repeat(32)); // Trust left at "system"
    browser.findElement(By.name("cron")).sendKeys("0 5 * * *");
    choose("scheduleKind", "hourly");
    submit();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("e-fingerprint")));
    assertThat(browser.findElement(By.id("e-fingerprint")).getText())
        .isEqualTo("You entered a fingerprint, but Trust is 'system' — choose 'fingerprint' or clear it.");
    assertThat(browser.findElement(By.id("e-cron")).getText())
        .isEqualTo("You entered a cron expression, but Back up is 'hourly' — choose 'cron' or clear it.");
    assertThat(browser.findElement(By.name("fingerprint")).getAttribute("value")).as("what was typed is shown again").isEqualTo("AB".repeat(32));
    assertThat(saved()).as("nothing stored").doesNotContain("Typed");
  }

  @Test
  void sendsNoStaleValueOfAFieldItHidAndSavesWithJavaScript() throws Exception {
    browser.get(app.url("/instances/new"));
    browser.findElement(By.name("name")).sendKeys("Changed Mind");
    browser.findElement(By.name("url")).sendKeys("https://127.0.0.1:9");
    choose("tlsMode", "fingerprint");
    browser.findElement(By.name("fingerprint")).sendKeys("AB".repeat(32));
    choose("scheduleKind", "cron");
    browser.findElement(By.name("cron")).sendKeys("0 5 * * *");
    choose("tlsMode", "system");
    choose("scheduleKind", "daily");
    submit();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlMatches(".*/instances/[0-9]+$"));
    // the instance saved, not the whole list: the environment's HOME has a fingerprint of its own, which GET answers
    JsonNode changed = null;
    for (JsonNode instance : new ObjectMapper().readTree(saved()).get("instances")) {
      changed = instance.get("name").asText().equals("Changed Mind") ? instance : changed;
    }
    assertThat(changed).as(saved()).isNotNull();
    assertThat(changed.toString()).doesNotContain("ab".repeat(32)).doesNotContain("0 5 * * *");
    assertThat(changed.get("tlsMode").asText()).isEqualTo("system");
    assertThat(changed.get("scheduleKind").asText()).isEqualTo("daily");
  }

  @Test
  void saysAtThePasswordAnd2faFieldsThatARefusedFormDidNotKeepThem() throws Exception {
    browser.get(app.url("/instances/new"));
    assertThat(browser.findElements(By.id("w-password"))).as("nothing typed, nothing to warn of").isEmpty();
    browser.findElement(By.name("name")).sendKeys("Secret Keeper");
    browser.findElement(By.name("url")).sendKeys("https://127.0.0.1:9");
    browser.findElement(By.name("password")).sendKeys("labpass");
    browser.findElement(By.name("totpSecret")).sendKeys("JBSWY3DPEHPK3PXP");
    choose("scheduleKind", "cron");
    browser.findElement(By.name("cron")).sendKeys("0 3 1 * MON");
    submit();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("e-cron")));
    WebElement password = browser.findElement(By.name("password")).findElement(By.xpath(".."));
    WebElement totp = browser.findElement(By.name("totpSecret")).findElement(By.xpath(".."));
    assertThat(browser.findElement(By.name("password")).getAttribute("value")).as("a secret is never rendered back").isEmpty();
    assertThat(password.getText()).contains("not kept: enter it again").doesNotContain("Leave empty");
    assertThat(totp.getText()).contains("not kept: enter it again");
    assertThat(browser.findElement(By.id("w-password")).isDisplayed()).isTrue();
    screenshot("instance-form-secrets-not-kept");
  }
}
