using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using TypedPyro.Gateway.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary>
/// The gateway's page in headless Chromium (Debian's <c>chromium</c> and <c>chromium-driver</c>), driven with Selenium:
/// a person opens the page, calls <c>echo</c> with the form and reads the JSON. Fails, never skips, without Chromium.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BrowserTests(GatewayFixture fixture)
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    private static ChromeDriver StartBrowser(string userDataDir)
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
            Assert.Fail($"headless Chromium is needed for the browser tests: {Chromium} or {ChromeDriver} is missing. Install it with: apt-get install -y chromium chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1200,1400", $"--user-data-dir={userDataDir}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Calls_echo_through_the_page()
    {
        var gateway = await fixture.DotNetAsync();
        var userDataDir = Directory.CreateTempSubdirectory("typedpyro-chromium-").FullName;
        try
        {
            using var driver = StartBrowser(userDataDir);
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20));

            // "/" redirects to the page.
            driver.Navigate().GoToUrl(gateway);
            wait.Until(d => d.Url.EndsWith("/pyro/", StringComparison.Ordinal));
            Assert.Equal("Pyro HTTP gateway", driver.Title);
            var table = driver.FindElement(By.Id("pyro-objects")).Text;
            Assert.Contains("http.echo", table);
            Assert.Contains("http.test", table);
            Assert.DoesNotContain("secret.echo", table);

            // The form: object, method, parameters; Call.
            var objectField = driver.FindElement(By.Id("call-object"));
            objectField.Clear();
            objectField.SendKeys("http.echo");
            var methodField = driver.FindElement(By.Id("call-method"));
            methodField.Clear();
            methodField.SendKeys("echo");
            var parameters = driver.FindElement(By.Id("call-params"));
            parameters.Clear();
            parameters.SendKeys("message=Hello from Chromium & friends!");
            driver.FindElement(By.Id("call-submit")).Click();
            var response = wait.Until(d =>
            {
                var text = d.FindElement(By.Id("pyro_response")).Text;
                return text.Contains("Hello", StringComparison.Ordinal) || text.StartsWith("ERROR", StringComparison.Ordinal) ? text : null;
            });
            Assert.Equal("\"Hello from Chromium & friends!\"", response);
            Assert.StartsWith("GET http.echo/echo?message=Hello", driver.FindElement(By.Id("pyro_call")).Text);

            // POST, with a correlation id.
            driver.FindElement(By.XPath("//select[@id='call-verb']/option[text()='POST']")).Click();
            parameters.Clear();
            parameters.SendKeys("message=posted from the page");
            driver.FindElement(By.Id("call-correlation")).SendKeys("11112222-3333-4444-5555-666677778888");
            driver.FindElement(By.Id("call-submit")).Click();
            wait.Until(d => d.FindElement(By.Id("pyro_response")).Text == "\"posted from the page\"");

            // A remote error shows as an error with the exception's JSON.
            methodField.Clear();
            methodField.SendKeys("error");
            parameters.Clear();
            driver.FindElement(By.Id("call-submit")).Click();
            var error = wait.Until(d => d.FindElement(By.Id("pyro_response")).Text is var t && t.StartsWith("ERROR", StringComparison.Ordinal) ? t : null);
            Assert.StartsWith("ERROR: 500 Internal Server Error", error);
            Assert.Contains("expected error from echoserver error() method", error);

            // An attribute link calls at once; an object link shows $meta.
            driver.FindElement(By.CssSelector("a[data-pyro-name='http.echo'][data-pyro-method='verbose']")).Click();
            wait.Until(d => d.FindElement(By.Id("pyro_response")).Text == "false");
            driver.FindElement(By.CssSelector("a[data-pyro-name='http.test'][data-pyro-method='$meta']")).Click();
            wait.Until(d => d.FindElement(By.Id("pyro_response")).Text.Contains("\"attributes\"", StringComparison.Ordinal));
            Assert.Contains("\"kwargs\"", driver.FindElement(By.Id("pyro_response")).Text);

            var screenshot = Path.Combine(AppContext.BaseDirectory, "gateway-page.png");
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(screenshot);
            driver.Quit();
        }
        finally
        {
            try { Directory.Delete(userDataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
