using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TypedPyro.Gateway.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary>
/// The same requests to Python's <c>pyro4-httpgateway</c> and to the .NET gateway, both in front of the same Python
/// name server and objects: same status, reason, headers (Date, Server and correlation-id values aside) and body.
/// The .NET gateway decodes parameters as Latin-1 here, which is what Python 4.82 does.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class SideBySideTests(GatewayFixture fixture)
{
    public sealed record Case(string Method, string Path, Dictionary<string, string>? Headers = null, string? Body = null, string? ContentType = null, bool SortArrays = false);

    private const string Form = "application/x-www-form-urlencoded";
    private static Dictionary<string, string> H(string name, string value) => new() { [name] = value };

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["get echo"] = new("GET", "/pyro/http.echo/echo?message=hi%20there"),
        ["post echo"] = new("POST", "/pyro/http.echo/echo", Body: "message=posted", ContentType: Form),
        ["post body then query"] = new("POST", "/pyro/http.test/kwargs?a=query&q=1", Body: "a=body&b=2", ContentType: Form),
        ["post other content type uses the query only"] = new("POST", "/pyro/http.test/kwargs?q=1", Body: "a=1", ContentType: "text/plain"),
        ["post without body"] = new("POST", "/pyro/http.test/kwargs?q=1"),
        ["meta"] = new("GET", "/pyro/http.echo/$meta", SortArrays: true),
        ["meta escaped"] = new("GET", "/pyro/http.test/%24meta", SortArrays: true),
        ["meta with parameters"] = new("GET", "/pyro/http.test/$meta?x=1", SortArrays: true),
        ["attribute"] = new("GET", "/pyro/http.echo/verbose"),
        ["attribute non-ascii"] = new("GET", "/pyro/http.test/label"),
        ["attribute with parameters"] = new("GET", "/pyro/http.test/value?x=1"),
        ["unknown name"] = new("GET", "/pyro/http.nothere/echo"),
        ["not exposed"] = new("GET", "/pyro/secret.echo/echo?message=x"),
        ["name server not exposed"] = new("GET", "/pyro/Pyro.NameServer/list"),
        ["expose is a prefix match"] = new("GET", "/pyro/xhttp.echo/echo?message=x"),
        ["bad path"] = new("GET", "/pyro/justonename"),
        ["pyro without slash"] = new("GET", "/pyro"),
        ["not pyro"] = new("GET", "/other"),
        ["root"] = new("GET", "/"),
        ["double slash root"] = new("GET", "//"),
        ["root with query"] = new("POST", "/?x=1"),
        ["put"] = new("PUT", "/pyro/http.echo/echo", Body: "", ContentType: Form),
        ["delete outside pyro"] = new("DELETE", "/other"),
        ["head"] = new("HEAD", "/pyro/http.echo/echo?message=x"),
        ["options on page"] = new("OPTIONS", "/pyro/"),
        ["oneway"] = new("GET", "/pyro/http.echo/echo?message=x", H("X-Pyro-Options", "oneway")),
        ["oneway error"] = new("GET", "/pyro/http.echo/error", H("X-Pyro-Options", "x,oneway")),
        ["oneway attribute"] = new("GET", "/pyro/http.echo/verbose", H("X-Pyro-Options", "oneway")),
        ["oneway meta"] = new("GET", "/pyro/http.echo/$meta", H("X-Pyro-Options", "oneway"), SortArrays: true),
        ["oneway with space is not oneway"] = new("GET", "/pyro/http.echo/echo?message=x", H("X-Pyro-Options", " oneway")),
        ["oneway by metadata"] = new("GET", "/pyro/http.echo/oneway_echo?message=x"),
        ["oneway unknown method"] = new("GET", "/pyro/http.echo/nosuch", H("X-Pyro-Options", "oneway")),
        ["correlation id"] = new("GET", "/pyro/http.echo/echo?message=c", H("X-Pyro-Correlation-Id", "11112222-3333-4444-5555-666677778888")),
        ["correlation id in braces"] = new("GET", "/pyro/http.echo/echo?message=c", H("X-Pyro-Correlation-Id", "{11112222-3333-4444-5555-66667777888A}")),
        ["correlation id urn"] = new("GET", "/pyro/http.echo/echo?message=c", H("X-Pyro-Correlation-Id", "urn:uuid:11112222333344445555666677778888")),
        ["correlation id invalid"] = new("GET", "/pyro/http.echo/echo?message=c", H("X-Pyro-Correlation-Id", "nope")),
        ["correlation id not hex"] = new("GET", "/pyro/http.echo/echo?message=c", H("X-Pyro-Correlation-Id", "zzzz2222-3333-4444-5555-666677778888")),
        ["correlation id on error"] = new("GET", "/pyro/http.echo/error", H("X-Pyro-Correlation-Id", "11112222-3333-4444-5555-666677778888")),
        ["correlation id unknown name"] = new("GET", "/pyro/http.nothere/echo", H("X-Pyro-Correlation-Id", "nope")),
        ["remote exception"] = new("GET", "/pyro/http.echo/error"),
        ["remote exception non-ascii"] = new("GET", "/pyro/http.test/fail_unicode"),
        ["missing parameter"] = new("GET", "/pyro/http.echo/echo"),
        ["extra parameter"] = new("GET", "/pyro/http.echo/echo?message=1&other=2"),
        ["key parameter without a gateway key is an argument"] = new("GET", "/pyro/http.echo/echo?message=1&$key=x"),
        ["unknown method"] = new("GET", "/pyro/http.test/nosuch"),
        ["private method"] = new("GET", "/pyro/http.echo/_private"),
        ["dunder method"] = new("GET", "/pyro/http.echo/__dunder__"),
        ["method with trailing slash"] = new("GET", "/pyro/http.echo/echo/"),
        ["deeper path"] = new("GET", "/pyro/http.echo/a/echo?message=x"),
        ["generator"] = new("GET", "/pyro/http.echo/generator"),
        ["nan"] = new("GET", "/pyro/http.echo/nan"),
        ["inf"] = new("GET", "/pyro/http.echo/inf"),
        ["result json cannot carry"] = new("GET", "/pyro/http.test/unjsonable"),
        ["unicode result"] = new("GET", "/pyro/http.test/unicode"),
        ["numbers"] = new("GET", "/pyro/http.test/numbers"),
        ["none"] = new("GET", "/pyro/http.test/none"),
        ["two arguments"] = new("GET", "/pyro/http.test/add?a=1&b=2"),
        ["parameter parsing"] = new("GET", "/pyro/http.test/kwargs?a=1&a=2&b=&c&d=x+y%20z&%24x=1&e=%zz&f=%4&&g=a=b&h=;i=1"),
        ["parameter non-ascii"] = new("GET", "/pyro/http.test/kwargs?e=%C3%A9&n%C3%A4me=v"),
        ["parameter non-ascii posted"] = new("POST", "/pyro/http.test/kwargs", Body: "e=%C3%A9&f=caf%E9", ContentType: Form),
        ["parameter repeated three times"] = new("GET", "/pyro/http.test/kwargs?x=1&y=2&x=3&x=4"),
        ["parameter blank only"] = new("GET", "/pyro/http.test/kwargs?x=&y"),
        ["plus in value"] = new("GET", "/pyro/http.echo/echo?message=a+b%2Bc"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Same_as_python(string name)
    {
        var python = await fixture.PythonAsync();
        var dotnet = await fixture.DotNetAsync(latin1: true);
        await AssertSameAsync(Cases[name], python, dotnet);
    }

    public static TheoryData<string> KeyCaseNames() => new(KeyCases.Keys);

    private static readonly Dictionary<string, Case> KeyCases = new()
    {
        ["key header"] = new("GET", "/pyro/http.echo/echo?message=x", H("X-Pyro-Gateway-Key", GatewayFixture.GatewayKey)),
        ["key parameter"] = new("GET", "/pyro/http.echo/echo?message=x&$key=gwkey"),
        ["key parameter escaped"] = new("GET", "/pyro/http.echo/echo?message=x&%24key=gwkey"),
        ["key posted"] = new("POST", "/pyro/http.echo/echo", Body: "message=x&$key=gwkey", ContentType: Form),
        ["key missing"] = new("GET", "/pyro/http.echo/echo?message=x"),
        ["key wrong header"] = new("GET", "/pyro/http.echo/echo?message=x", H("X-Pyro-Gateway-Key", "wrong")),
        ["key wrong parameter"] = new("GET", "/pyro/http.echo/echo?message=x&$key=wrong"),
        ["key header wins over parameter"] = new("GET", "/pyro/http.echo/echo?message=x&$key=gwkey", H("X-Pyro-Gateway-Key", "wrong")),
        ["key empty header falls back to parameter"] = new("GET", "/pyro/http.echo/echo?message=x&$key=gwkey", H("X-Pyro-Gateway-Key", "")),
        ["key is checked before exposure"] = new("GET", "/pyro/secret.echo/echo?message=x"),
        ["key right then not exposed"] = new("GET", "/pyro/secret.echo/echo?message=x", H("X-Pyro-Gateway-Key", GatewayFixture.GatewayKey)),
        ["key not needed for a bad path"] = new("GET", "/pyro/justonename"),
        ["key attribute with key parameter"] = new("GET", "/pyro/http.echo/verbose?$key=gwkey"),
        ["key meta"] = new("GET", "/pyro/http.echo/$meta?$key=gwkey", SortArrays: true),
    };

    [Theory]
    [MemberData(nameof(KeyCaseNames))]
    public async Task Same_as_python_with_a_gateway_key(string name)
    {
        var python = await fixture.PythonAsync(key: GatewayFixture.GatewayKey);
        var dotnet = await fixture.DotNetAsync(key: GatewayFixture.GatewayKey, latin1: true);
        await AssertSameAsync(KeyCases[name], python, dotnet);
    }

    public static TheoryData<string> ExposeAllCaseNames() => new(ExposeAllCases.Keys);

    private static readonly Dictionary<string, Case> ExposeAllCases = new()
    {
        ["name server list"] = new("GET", "/pyro/Pyro.NameServer/list"),
        ["name server list prefix"] = new("GET", "/pyro/Pyro.NameServer/list?prefix=http."),
        ["name server lookup"] = new("GET", "/pyro/Pyro.NameServer/lookup?name=http.echo"),
        ["name server lookup unknown"] = new("GET", "/pyro/Pyro.NameServer/lookup?name=nothere"),
        ["name server count"] = new("GET", "/pyro/Pyro.NameServer/count"),
        ["name server meta"] = new("GET", "/pyro/Pyro.NameServer/$meta", SortArrays: true),
        ["formerly secret"] = new("GET", "/pyro/secret.echo/echo?message=x"),
    };

    [Theory]
    [MemberData(nameof(ExposeAllCaseNames))]
    public async Task Same_as_python_exposing_everything(string name)
    {
        var python = await fixture.PythonAsync(expose: "");
        var dotnet = await fixture.DotNetAsync(expose: "", latin1: true);
        await AssertSameAsync(ExposeAllCases[name], python, dotnet);
    }

    [Theory]
    [InlineData("/pyro/http.test/add?a=1&b=2")]
    [InlineData("/pyro/secret.echo/echo?message=x")]
    [InlineData("/pyro/http.echo/echo?message=x")]
    [InlineData("/pyro/xsecret.echo/echo?message=x")]
    public async Task Same_as_python_with_an_alternation_pattern(string path)
    {
        const string pattern = @"secret|http\.test";
        var python = await fixture.PythonAsync(expose: pattern);
        var dotnet = await fixture.DotNetAsync(expose: pattern, latin1: true);
        await AssertSameAsync(new Case("GET", path), python, dotnet);
    }

    [Theory]
    [InlineData(@"http\.", "http.echo,http.test")]
    [InlineData("", "Pyro.NameServer,http.echo,http.test,secret.echo")]
    [InlineData(@"secret|http\.test", "http.test,secret.echo")]
    public async Task Page_lists_the_same_names_as_python(string pattern, string names)
    {
        var python = await HttpExchange.SendAsync(fixture.Http, await fixture.PythonAsync(expose: pattern), "GET", "/pyro/");
        var dotnet = await HttpExchange.SendAsync(fixture.Http, await fixture.DotNetAsync(expose: pattern, latin1: true), "GET", "/pyro/");
        Assert.Equal(200, python.Status);
        Assert.Equal(200, dotnet.Status);
        Assert.Equal(python.Header("Content-Type"), dotnet.Header("Content-Type"));
        Assert.Equal(names, string.Join(",", TableNames(python.BodyText)));
        Assert.Equal(names, string.Join(",", TableNames(dotnet.BodyText)));
    }

    private static List<string> TableNames(string html)
    {
        var table = TablePattern().Match(html);
        Assert.True(table.Success, html);
        return MetaLinkPattern().Matches(table.Groups[1].Value).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    [GeneratedRegex("<table[^>]*>(.*?)</table>", RegexOptions.Singleline)]
    private static partial Regex TablePattern();

    [GeneratedRegex("href=\"([^\"]+)/\\$meta\"")]
    private static partial Regex MetaLinkPattern();

    private async Task AssertSameAsync(Case c, Uri python, Uri dotnet)
    {
        var body = c.Body is null ? null : Encoding.UTF8.GetBytes(c.Body);
        var expected = await HttpExchange.SendAsync(fixture.Http, python, c.Method, c.Path, c.Headers, body, c.ContentType);
        var actual = await HttpExchange.SendAsync(fixture.Http, dotnet, c.Method, c.Path, c.Headers, body, c.ContentType);
        string context = $"{c.Method} {c.Path}\npython: {expected.Status} {string.Join("; ", expected.Headers)}\n{expected.BodyText}\n.NET: {actual.Status} {string.Join("; ", actual.Headers)}\n{actual.BodyText}";

        Assert.True(expected.Status == actual.Status, context);
        Assert.True(expected.Reason == actual.Reason, context);
        var ignored = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Date", "Server" };
        var expectedNames = expected.Headers.Select(h => h.Key).Where(n => !ignored.Contains(n)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var actualNames = actual.Headers.Select(h => h.Key).Where(n => !ignored.Contains(n)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(expectedNames.SequenceEqual(actualNames, StringComparer.OrdinalIgnoreCase), context);
        foreach (var headerName in expectedNames)
        {
            if (headerName.Equals(PyroGateway.CorrelationIdHeader, StringComparison.OrdinalIgnoreCase))
            {
                Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", actual.Header(headerName));
                if (c.Headers?.ContainsKey(PyroGateway.CorrelationIdHeader) == true) Assert.Equal(expected.Header(headerName), actual.Header(headerName));
            }
            else if (!(c.SortArrays && headerName.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                Assert.True(expected.Header(headerName) == actual.Header(headerName), $"header {headerName}\n{context}");
            }
        }
        if (c.SortArrays && expected.Body.Length > 0)
            Assert.True(SortedJson(expected.Body) == SortedJson(actual.Body), context);
        else
            Assert.True(expected.Body.AsSpan().SequenceEqual(actual.Body), context);
    }

    /// <summary>Python's <c>$meta</c> lists sets in hash order; compare the names.</summary>
    private static string SortedJson(byte[] json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return string.Join("|", node.Select(p => p.Key + "=" + string.Join(",", p.Value!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal))));
    }
}
