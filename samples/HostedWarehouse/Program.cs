// The Pyro tutorial's warehouse (phase 3) as a hosted service: generic host, settings from appsettings.json (and
// PYRO_* / Pyro__* environment variables), registration with the name server, a health endpoint, graceful Ctrl+C.
//   dotnet run --project samples/HostedWarehouse
// Python's tutorial client (/usr/share/doc/pyro4/examples/warehouse/phase3/visit.py) finds and uses it by name.
using TypedPyro;
using TypedPyro.Hosting;
using Warehouse;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPyroDaemon(builder.Configuration.GetSection("Pyro"))
    .AddObject<IWarehouse, HostedWarehouse>("example.warehouse");
builder.Services.AddHealthChecks()
    .AddPyroDaemonHealthCheck()
    .AddPyroNameServerHealthCheck();

var app = builder.Build();
app.MapHealthChecks("/health");
app.Run();
