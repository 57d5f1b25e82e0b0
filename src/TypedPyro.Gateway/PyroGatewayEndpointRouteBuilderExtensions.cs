using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TypedPyro.Gateway;

/// <summary>Puts the Pyro HTTP gateway into an ASP.NET Core application.</summary>
public static class PyroGatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the gateway at <c>/pyro/{**path}</c> (page, calls, <c>$meta</c>) for every HTTP method (the gateway answers
    /// 405 itself), and, when <paramref name="redirectRoot"/> is true, <c>/</c> to a 302 to <c>/pyro/</c> as Python does.
    /// Other paths stay the application's. The gateway's name server connection is closed when the application stops.
    /// </summary>
    /// <returns>A builder for all mapped endpoints (add authorization, CORS, rate limiting, ... to it).</returns>
    public static IEndpointConventionBuilder MapPyroGateway(this IEndpointRouteBuilder endpoints, PyroGatewayOptions? options = null, bool redirectRoot = true)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var gateway = new PyroGateway(options);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(gateway.Dispose);
        var builders = new List<IEndpointConventionBuilder>
        {
            endpoints.Map("/pyro/{**path}", gateway.HandleAsync).WithDisplayName("Pyro HTTP gateway"),
        };
        if (redirectRoot) builders.Add(endpoints.Map("/", gateway.HandleAsync).WithDisplayName("Pyro HTTP gateway redirect"));
        return new CompositeConventionBuilder(builders);
    }

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders) builder.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders) builder.Finally(finallyConvention);
        }
    }
}
