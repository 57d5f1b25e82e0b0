using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedPyro.Gateway.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary>
/// The <c>http_*</c> golden vectors (recorded from Python's gateway): the same request to the .NET gateway gives the
/// same status, reason, headers (Date and Server aside; correlation ids by shape) and body.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class VectorTests(GatewayFixture fixture)
{
    private static readonly string VectorsDir = typeof(VectorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "VectorsDir").Value!;

    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(VectorsDir, "http_*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Fact]
    public void All_http_vectors_are_present() => Assert.Equal(16, Vectors().Count);

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Same_answer_as_recorded_from_python(string name)
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(VectorsDir, name + ".json")))!;
        var decoded = vector["decoded"]!;
        var request = decoded["request"]!;
        var requestHeaders = request["headers"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        string? body = request["body"]?.GetValue<string>();
        requestHeaders.Remove("Content-Type", out var contentType);

        var gateway = await fixture.DotNetAsync(key: name.StartsWith("http_gateway_key", StringComparison.Ordinal) ? GatewayFixture.GatewayKey : null);
        var answer = await HttpExchange.SendAsync(fixture.Http, gateway, request["method"]!.GetValue<string>(), request["path"]!.GetValue<string>(),
            requestHeaders, body is null ? null : Encoding.UTF8.GetBytes(body), contentType);

        Assert.Equal(decoded["status"]!.GetValue<int>(), answer.Status);
        Assert.Equal(decoded["reason"]!.GetValue<string>(), answer.Reason);

        var expectedHeaders = decoded["headers"]!.AsArray().Select(h => (Name: h![0]!.GetValue<string>(), Value: h[1]!.GetValue<string>()))
            .Where(h => h.Name is not ("Server" or "Date")).ToList();
        foreach (var (headerName, value) in expectedHeaders)
        {
            var actual = answer.Header(headerName);
            Assert.True(actual is not null, $"{name}: header {headerName} missing; got {string.Join("; ", answer.Headers)}");
            if (headerName == PyroGateway.CorrelationIdHeader)
            {
                if (requestHeaders.TryGetValue(PyroGateway.CorrelationIdHeader, out var sent)) Assert.Equal(sent, actual);
                else Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", actual);
            }
            else
            {
                Assert.Equal(value, actual);
            }
        }
        // Nothing Python does not send (the correlation id in particular, absent on errors).
        var allowedExtra = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Server", "Date" };
        foreach (var (headerName, _) in answer.Headers)
            Assert.True(allowedExtra.Contains(headerName) || expectedHeaders.Exists(h => string.Equals(h.Name, headerName, StringComparison.OrdinalIgnoreCase)),
                $"{name}: unexpected header {headerName}");

        var expectedBody = Convert.FromHexString(vector["hex"]!.GetValue<string>());
        if (name == "http_meta")
        {
            // Python lists a set: its order is the hash order of that run. The names must be the same.
            var expected = JsonNode.Parse(expectedBody)!;
            var actual = JsonNode.Parse(answer.Body)!;
            Assert.Equal(["methods", "attributes"], actual.AsObject().Select(p => p.Key));
            foreach (var key in new[] { "methods", "attributes" })
                Assert.Equal(Names(expected[key]!), Names(actual[key]!));
            Assert.Equal(expectedBody.Length, answer.Body.Length);
        }
        else
        {
            Assert.Equal(Encoding.UTF8.GetString(expectedBody), answer.BodyText);
        }
    }

    private static List<string> Names(JsonNode array) => array.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
}
