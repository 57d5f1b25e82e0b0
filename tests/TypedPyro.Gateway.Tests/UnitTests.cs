using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedPyro.Gateway.Internal;
using TypedPyro.Gateway.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary>The gateway's Python look-alikes, checked against Python itself.</summary>
public sealed class UnitTests
{
    private static readonly string[] Queries =
    [
        "", "a=1", "a=1&a=2", "a=&b", "&&a=1&&", "a=b=c", "a+b=c+d", "%41=%42", "a=%zz", "a=%4", "a=%", "a=%%41",
        "x=1;y=2", "=v", "%24key=1", "e=%C3%A9", "e=%E9", "e=%FF%FE", "a=%2B%20+", "n%C3%A4me=v", "a=1&b=2&a=3&c=&a=4",
    ];

    [Fact]
    public async Task Query_parsing_matches_python_parse_qs_then_singlyfy()
    {
        foreach (var encoding in new[] { "utf-8", "latin-1" })
        {
            var script = """
                import sys, json, urllib.parse
                out = []
                for line in json.load(sys.stdin)["queries"]:
                    d = urllib.parse.parse_qs(line, encoding=ENC)
                    out.append({k: (v[0] if len(v) == 1 else v) for k, v in d.items()})
                print(json.dumps(out))
                """.Replace("ENC", $"'{encoding}'", StringComparison.Ordinal);
            var python = await PythonProcess.RunScriptAsync(script, JsonSerializer.Serialize(new { queries = Queries }));
            var expected = JsonDocument.Parse(python).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
            for (int i = 0; i < Queries.Length; i++)
            {
                var parameters = new FormParameters();
                parameters.AddQuery(Queries[i], encoding == "utf-8" ? Encoding.UTF8 : Encoding.Latin1);
                var actual = JsonSerializer.Serialize(parameters.ToKeywordArguments());
                Assert.True(Normalize(expected[i]) == Normalize(actual), $"{encoding} '{Queries[i]}': python {expected[i]} .NET {actual}");
            }
        }
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Theory]
    [InlineData("11112222-3333-4444-5555-666677778888", "11112222-3333-4444-5555-666677778888")]
    [InlineData("{11112222-3333-4444-5555-66667777888A}", "11112222-3333-4444-5555-66667777888a")]
    [InlineData("urn:uuid:11112222333344445555666677778888", "11112222-3333-4444-5555-666677778888")]
    [InlineData("1111-2222-3333-4444-5555-6666-7777-8888", "11112222-3333-4444-5555-666677778888")]
    public void Correlation_ids_parse_like_python_uuid(string text, string expected)
        => Assert.Equal(expected, PythonUuid.Format(PythonUuid.Parse(text)));

    [Theory]
    [InlineData("nope", "badly formed hexadecimal UUID string")]
    [InlineData("", "badly formed hexadecimal UUID string")]
    [InlineData("zzzz2222-3333-4444-5555-666677778888", "invalid literal for int() with base 16: 'zzzz2222333344445555666677778888'")]
    public void Bad_correlation_ids_fail_with_pythons_message(string text, string message)
    {
        var e = Assert.Throws<GatewayException>(() => PythonUuid.Parse(text));
        Assert.Equal(("builtins.ValueError", message), (e.PythonClass, e.Message));
    }

    [Fact]
    public async Task Json_dumps_matches_python_json_dumps()
    {
        var value = new Dictionary<object, object?>
        {
            ["methods"] = new List<object?> { "échec", "a\"b\\c\n", "😀", "plain" },
            ["attributes"] = new List<object?>(),
            ["n"] = 1.5,
            ["t"] = true,
            ["z"] = null,
        };
        var python = await PythonProcess.RunScriptAsync("""
            import json
            print(json.dumps({"methods": ["\u00e9chec", "a\"b\\c\n", "\U0001F600", "plain"], "attributes": [], "n": 1.5, "t": True, "z": None}), end="")
            """);
        Assert.Equal(python, Encoding.ASCII.GetString(PythonJson.Dumps(value)));
    }

    [Theory]
    [InlineData(@"http\.", "http.echo", true)]
    [InlineData(@"http\.", "xhttp.echo", false)]
    [InlineData(@"http\.", "http.", true)]
    [InlineData(@"http\.", "httpx", false)]
    [InlineData(@"secret|http\.test", "http.test.more", true)]
    [InlineData(@"secret|http\.test", "http.echo", false)]
    [InlineData(@"(?P<a>x)(?P=a)", "xx.y", true)]
    [InlineData(@"(?P<a>x)(?P=a)", "xy", false)]
    [InlineData("a$", "a", true)]
    [InlineData("a$", "ab", false)]
    public void Expose_pattern_is_a_prefix_match_like_re_match(string pattern, string name, bool exposed)
    {
        using var gateway = new PyroGateway(new PyroGatewayOptions { ExposePattern = pattern });
        Assert.Equal(exposed, gateway.IsExposed(name));
    }

    [Fact]
    public void Empty_pattern_exposes_everything_and_a_bad_pattern_is_refused()
    {
        using var all = new PyroGateway(new PyroGatewayOptions { ExposePattern = "" });
        Assert.True(all.IsExposed("Pyro.NameServer"));
        Assert.Throws<RegexParseException>(() => new PyroGateway(new PyroGatewayOptions { ExposePattern = "(" }));
    }
}
