namespace TypedPyro.Generators.Tests.Support;

/// <summary>A console project that references the TypedPyro package from a local feed only, as a user's would.</summary>
internal static class PackageConsumer
{
    /// <summary>
    /// Writes <c>nuget.config</c> (the feed), <c>{name}.csproj</c> (net10.0, nullable, implicit usings, the package,
    /// and <paramref name="properties"/> as extra MSBuild properties) and <c>Program.cs</c> into <paramref name="directory"/>.
    /// </summary>
    public static async Task WriteAsync(string directory, string feed, string version, string program, string name = "Consumer", string properties = "")
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="typedpyro-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TypedPyro" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), program);
    }
}
