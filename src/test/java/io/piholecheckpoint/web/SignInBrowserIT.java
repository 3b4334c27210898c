package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sign-in as a person does it in headless Chromium, with the real cookie flags, the strict CSP
 * and CSRF tokens: wrong password, sign in, add an instance and back it up (a form post and a
 * fetch, both carrying the token), sign out.
 */
class SignInBrowserIT {
  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("garage", "labpass")
      .env(f -> Map.of("APP_PASSWORD", "browser-Secret-1"));

  @Test
  void signsInWorksWithFormsAndFetchAndSignsOut() throws Exception {
    InProcessApp app = fixture.app();
    FakePihole pihole = fixture.pihole("garage");
    ChromeDriver browser = fixture.browser();
    WebDriverWait wait = fixture.waitUpTo(Duration.ofSeconds(30));

    browser.get(app.url("/settings"));
    assertThat(browser.getCurrentUrl()).contains("/login?next=%2Fsettings");

    browser.findElement(By.name("password")).sendKeys("wrong");
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(d -> d.findElement(By.cssSelector(".field-error")).getText().equals("Wrong password."));

    browser.findElement(By.name("password")).sendKeys("browser-Secret-1");
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("/settings"));
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("Sign-in", "on (APP_PASSWORD)")
        .doesNotContain("No app password is set");
    fixture.screenshot("signed-in-settings");

    browser.get(app.url("/instances/new"));
    browser.findElement(By.name("name")).sendKeys("Garage");
    browser.findElement(By.name("url")).sendKeys(pihole.url());
    browser.findElement(By.name("password")).sendKeys("labpass");
    browser.findElement(By.cssSelector("form.instance-form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.backup-now button")));
    browser.findElement(By.cssSelector("form.backup-now button")).click();
    wait.until(d -> d.findElements(By.cssSelector("tr.backup.status-success")).size() == 1);

    browser.findElement(By.cssSelector("form.sign-out button")).click();
    wait.until(ExpectedConditions.urlContains("/login"));
    browser.get(app.url("/"));
    assertThat(browser.getCurrentUrl()).as("signed out for good").contains("/login");
  }
}
