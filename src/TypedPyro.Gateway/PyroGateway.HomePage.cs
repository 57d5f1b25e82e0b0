using System.Collections;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TypedPyro.Gateway;

public sealed partial class PyroGateway
{
    private static readonly Lazy<string> PageTemplate = new(() =>
    {
        using var stream = typeof(PyroGateway).Assembly.GetManifestResourceStream("TypedPyro.Gateway.index.html")
            ?? throw new InvalidOperationException("the gateway page resource is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    private sealed record ListedObject(string Name, IReadOnlyList<string>? Methods, IReadOnlyList<string>? Attributes, string? Error);

    /// <summary>The page at <c>/pyro/</c>: the exposed names with their methods and attributes, and a form to call them.</summary>
    private async Task WriteHomePageAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        PyroProxy nameServer;
        List<string> names;
        try
        {
            nameServer = await _nameServer.GetAsync(cancellationToken).ConfigureAwait(false);
            // Python: sorted(list(nameserver.list(regex=ns_regex).keys())[:10])
            var kwargs = string.IsNullOrEmpty(Options.ExposePattern) ? null : new Dictionary<string, object?> { ["regex"] = Options.ExposePattern };
            var listing = await nameServer.InvokeAsync("list", [], kwargs, cancellationToken).ConfigureAwait(false) as IDictionary
                ?? throw new ProtocolException("the name server's list() did not return a dict");
            names = listing.Keys.Cast<object?>().Select(k => k as string ?? "").ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Options.ErrorLog?.WriteLine($"Name server error: {e.Message}");
            await WriteAsync(context, StatusCodes.Status500InternalServerError, TextPlain, NoNameServerBody).ConfigureAwait(false);
            return;
        }
        int limit = Options.PageListLimit;
        if (limit > 0 && names.Count > limit) names = names.Take(limit).ToList();
        names.Sort(StringComparer.Ordinal);

        var listed = await Task.WhenAll(names.Select(name => DescribeAsync(nameServer, name, cancellationToken))).ConfigureAwait(false);
        var html = RenderPage(nameServer.ResolvedUri?.Location ?? nameServer.Uri.Location ?? "?", listed);
        await WriteAsync(context, StatusCodes.Status200OK, "text/html", Encoding.UTF8.GetBytes(html)).ConfigureAwait(false);
    }

    private async Task<ListedObject> DescribeAsync(PyroProxy nameServer, string name, CancellationToken cancellationToken)
    {
        try
        {
            var uri = PyroUri.FromWireValue(await nameServer.InvokeAsync("lookup", [name], cancellationToken: cancellationToken).ConfigureAwait(false));
            await using var proxy = new PyroProxy(uri, _proxyOptions);
            await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var metadata = proxy.Metadata ?? new PyroObjectMetadata([]);
            return new ListedObject(name, metadata.Methods.Order(StringComparer.Ordinal).ToList(), metadata.Attributes.Order(StringComparer.Ordinal).ToList(), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Options.ErrorLog?.WriteLine($"ERROR getting metadata for {name}: {e}");
            return new ListedObject(name, null, null, e.Message);
        }
    }

    private string RenderPage(string hostname, IReadOnlyList<ListedObject> listed)
    {
        static string H(string text) => WebUtility.HtmlEncode(text);
        static string Path(string text) => Uri.EscapeDataString(text).Replace("%24", "$", StringComparison.Ordinal).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        static string Link(string name, string member, bool fill) =>
            $"<a href=\"{H(Path(name) + "/" + Path(member))}\" data-pyro-name=\"{H(name)}\" data-pyro-method=\"{H(member)}\"{(fill ? " data-pyro-fill" : "")}>{H(member)}</a>";

        var table = new StringBuilder("<table id=\"pyro-objects\"><tr><th>Name</th><th>methods</th><th>attributes (zero-param methods)</th></tr>");
        foreach (var o in listed)
        {
            table.Append("<tr><td>")
                .Append($"<a href=\"{H(Path(o.Name) + "/$meta")}\" data-pyro-name=\"{H(o.Name)}\" data-pyro-method=\"$meta\">{H(o.Name)}</a>")
                .Append("</td><td>");
            if (o.Error is not null) table.Append(H($"??error:{o.Error}??"));
            else table.Append(o.Methods!.Count == 0 ? "-" : string.Join(" &nbsp; ", o.Methods.Select(m => Link(o.Name, m, fill: true))));
            table.Append("</td><td>");
            table.Append(o.Attributes is null || o.Attributes.Count == 0 ? "-" : string.Join(" &nbsp; ", o.Attributes.Select(a => Link(o.Name, a, fill: false))));
            table.Append("</td></tr>");
        }
        if (listed.Count == 0) table.Append("<tr><td colspan=\"3\"><em>no exposed names</em></td></tr>");
        table.Append("</table>");

        // Pre-fill the form with an echo call when an exposed object has one, else with the first object's $meta.
        var echo = listed.FirstOrDefault(o => o.Methods?.Contains("echo") == true);
        string firstName = echo?.Name ?? listed.FirstOrDefault()?.Name ?? "";
        string firstMethod = echo is not null ? "echo" : MetaMethod;
        string firstParams = echo is not null ? "message=Hello from the browser!" : "";
        int limit = Options.PageListLimit;
        string version = typeof(PyroGateway).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";

        return PageTemplate.Value
            .Replace("{{hostname}}", H(hostname), StringComparison.Ordinal)
            .Replace("{{limit}}", limit > 0 ? $"Limited to {limit} entries" : "All entries", StringComparison.Ordinal)
            .Replace("{{pattern}}", H(Options.ExposePattern ?? ""), StringComparison.Ordinal)
            .Replace("{{objects}}", table.ToString(), StringComparison.Ordinal)
            .Replace("{{datalist}}", string.Concat(listed.Select(o => $"<option value=\"{H(o.Name)}\">")), StringComparison.Ordinal)
            .Replace("{{first_name}}", H(firstName), StringComparison.Ordinal)
            .Replace("{{first_method}}", H(firstMethod), StringComparison.Ordinal)
            .Replace("{{first_params}}", H(firstParams), StringComparison.Ordinal)
            .Replace("{{version}}", H(version), StringComparison.Ordinal);
    }
}
