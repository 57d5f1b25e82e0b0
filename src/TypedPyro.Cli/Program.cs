using System.CommandLine;
using TypedPyro.Cli.Commands;

var root = new RootCommand("typedpyro: Pyro4-compatible tools for .NET (protocol 48)")
{
    EchoCommand.Create(),
    CallCommand.Create(),
    NsCommand.Create(),
    NscCommand.Create(),
    GatewayCommand.Create(),
    CheckCommand.Create(),
    ScaffoldCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
