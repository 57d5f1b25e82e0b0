using System.Net;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>The <c>--storage</c> forms of a Redis registry, read without a server.</summary>
public sealed class RedisStorageSpecTests
{
    private static string[] Endpoints(StackExchange.Redis.ConfigurationOptions options)
        => [.. options.EndPoints.Select(e => e switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            IPEndPoint ip => $"{ip.Address}:{ip.Port}",
            _ => e.ToString()!,
        })];

    [Fact]
    public void A_url_gives_host_port_and_database()
    {
        var options = RedisStorageSpec.Parse("redis://redis.example:6380/2");
        Assert.Equal(["redis.example:6380"], Endpoints(options));
        Assert.Equal(2, options.DefaultDatabase);
        Assert.True(options.AbortOnConnectFail);

        options = RedisStorageSpec.Parse("redis://[::1]");
        Assert.Equal(["::1:6379"], Endpoints(options));
        Assert.Null(options.DefaultDatabase);
    }

    [Fact]
    public void A_configuration_string_gives_several_endpoints_or_a_sentinel()
    {
        var options = RedisStorageSpec.Parse("redis:s1:26379,s2:26380,serviceName=mymaster");
        Assert.Equal(["s1:26379", "s2:26380"], Endpoints(options).Order(StringComparer.Ordinal));
        Assert.Equal("mymaster", options.ServiceName);
    }

    [Theory]
    [InlineData("redis://127.0.0.1:1/x", "invalid redis storage 'redis://127.0.0.1:1/x': the database must be a number, not 'x'")]
    [InlineData("redis://h:1?db=2", "invalid redis storage 'redis://h:1?db=2': no query or fragment is allowed")]
    [InlineData("redis:", "invalid redis storage 'redis:': no endpoint given")]
    [InlineData("redis://user:hunter2@h:1", "invalid redis storage 'redis://***@h:1': give the password in TYPEDPYRO_REDIS_PASSWORD, not in the storage option")]
    [InlineData("redis:h:1,password=hunter2", "invalid redis storage 'redis:***': give the password in TYPEDPYRO_REDIS_PASSWORD, not in the storage option")]
    [InlineData("sql:x", "invalid storage type 'sql:x'")]
    public void Bad_forms_are_refused_in_one_line_that_never_shows_a_password(string spec, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => RedisStorageSpec.Parse(spec));
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }
}
