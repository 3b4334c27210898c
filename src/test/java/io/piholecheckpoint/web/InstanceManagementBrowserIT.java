package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person managing instances in headless Chromium: add one with the form, test it, back it
 * up and watch the progress, pin and delete backups, switch to dark mode. Screenshots of the
 * pages go to target/screenshots.
 */
class InstanceManagementBrowserIT {
  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("garage", "labpass");

  private final InProcessApp app = fixture.app();
  private final FakePihole pihole = fixture.pihole("garage");
  private final ChromeDriver browser = fixture.browser();
  private final WebDriverWait wait = fixture.waitUpTo(Duration.ofSeconds(30));

  private void screenshot(String name) throws Exception {
    fixture.screenshot(name);
  }

  private void fill(String field, String value) {
    WebElement input = browser.findElement(By.name(field));
    input.clear();
    input.sendKeys(value);
  }

  @Test
  void showsTheMessageBesideAnInvalidUrl() throws Exception {
    browser.get(app.url("/instances/new"));
    fill("name", "Broken");
    fill("url", "pi.hole");

    browser.findElement(By.cssSelector("form.instance-form button[type=submit]")).click();

    WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("e-url")));
    assertThat(error.getText()).contains("starting with http:// or https://");
    assertThat(browser.findElement(By.name("name")).getAttribute("value")).isEqualTo("Broken");
    screenshot("form-with-error");
  }

  @Test
  void addsAnInstanceTestsItBacksItUpAndPinsAndDeletesBackups() throws Exception {
    browser.get(app.url("/instances/new"));
    fill("name", "Garage");
    fill("url", pihole.url());
    fill("password", "labpass");
    browser.findElement(By.cssSelector("form.instance-form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test-connection]")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Garage");

    browser.findElement(By.cssSelector("[data-test-connection]")).click();
    wait.until(d -> d.findElement(By.cssSelector("[data-test-result]")).getText().startsWith("Connected"));
    assertThat(browser.findElement(By.cssSelector("[data-test-result]")).getText()).contains("FTL v6.4.1", "password");

    browser.executeScript("window.notReloaded = true");
    for (int i = 1; i <= 2; i++) {
      browser.findElement(By.cssSelector("form.backup-now button")).click();
      int rows = i;
      wait.until(d -> d.findElements(By.cssSelector("tr.backup.status-success")).size() == rows
          && d.findElement(By.cssSelector("form.backup-now button")).isEnabled());
    }
    assertThat(browser.executeScript("return window.notReloaded")).isEqualTo(true);
    assertThat(pihole.activeSessions()).isZero();

    browser.navigate().refresh();
    WebElement newest = browser.findElement(By.cssSelector("tr.backup"));
    newest.findElement(By.cssSelector("[data-pin]")).click();
    wait.until(d -> newest.findElement(By.cssSelector("[data-pin]")).getText().equals("Unpin"));
    assertThat(newest.findElement(By.cssSelector("[data-pinned]")).isDisplayed()).isTrue();
    assertThat(browser.findElements(By.cssSelector("tr.backup")).get(1).findElement(By.cssSelector("[data-pinned]")).isDisplayed())
        .as("the unpinned backup shows no badge").isFalse();

    browser.executeScript("window.confirm = () => true");
    newest.findElement(By.cssSelector("[data-delete]")).click();
    wait.until(d -> newest.findElement(By.cssSelector(".error")).getText().contains("unpin it before deleting"));
    WebElement older = browser.findElements(By.cssSelector("tr.backup")).get(1);
    older.findElement(By.cssSelector("[data-delete]")).click();
    wait.until(BrowserFixture.gone(older));
    assertThat(browser.findElements(By.cssSelector("tr.backup"))).filteredOn(WebElement::isDisplayed).hasSize(1);
    screenshot("instance-page");
  }

  @Test
  void rendersAHostileNameAsText() throws Exception {
    browser.get(app.url("/instances/new"));
    fill("name", "<img src=x onerror=alert(1)>");
    fill("url", "http://127.0.0.1:9");
    browser.findElement(By.cssSelector("form.instance-form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));

    browser.get(app.url("/"));

    assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("<img src=x onerror=alert(1)>");
    screenshot("dashboard");
  }

  @Test
  void keepsDarkModeAfterAReload() throws Exception {
    browser.get(app.url("/settings"));
    String before = (String) browser.executeScript("return getComputedStyle(document.body).backgroundColor");

    browser.findElement(By.cssSelector("[data-theme-toggle]")).click();
    browser.navigate().refresh();

    assertThat(browser.executeScript("return document.documentElement.dataset.theme")).isIn("dark", "light");
    assertThat(browser.executeScript("return getComputedStyle(document.body).backgroundColor")).isNotEqualTo(before);
    screenshot("settings-toggled-theme");
  }
}
