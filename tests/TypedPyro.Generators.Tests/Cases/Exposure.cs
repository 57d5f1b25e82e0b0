// The exposure manifest's case: a full contract, a partly exposed one, a skipped member, a DTO, and the daemon
// registrations the manifest lists (constant, generated and computed ids; a factory with an instance mode; a
// hand-made dispatcher; a type without a generated dispatcher). ExposureManifestTests runs Serve against a daemon.
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedPyro;

namespace Example.Exposure;

[Expose, PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface IInventory
{
    int GetStock(string item);
    [Oneway] void Reset();
    [Oneway] Task NotifyAsync(string message, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Part>> PartsAsync(string? prefix = null, int limit = 10);
    IEnumerable<int> Numbers(int count);
    Dictionary<string, double?> Prices(HashSet<string> names);
    [PyroName("lookup")] Part? Find([PyroName("part_name")] string name);
    T Generic<T>(T value);
    string Name { get; }
    int Capacity { get; set; }
}

public interface IClock
{
    [Expose] long Now();
    [Expose] string Zone { get; }
    void Adjust(long ticks);
}

public interface INotAContract
{
    int Value();
}

[PyroDto("inventory.Part")]
public partial record Part(string Name, double Weight, byte[] Blob);

public sealed class Inventory : IInventory
{
    public int GetStock(string item) => item.Length;
    public void Reset() { }
    public Task NotifyAsync(string message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    public Task<IReadOnlyList<Part>> PartsAsync(string? prefix = null, int limit = 10) => Task.FromResult<IReadOnlyList<Part>>([]);
    public IEnumerable<int> Numbers(int count) { for (int i = 0; i < count; i++) yield return i; }
    public Dictionary<string, double?> Prices(HashSet<string> names) => [];
    public Part? Find(string name) => null;
    public T Generic<T>(T value) => value;
    public string Name => "inventory";
    public int Capacity { get; set; }
    // Public but not in the contract: never remote.
    public string Secret() => "secret";
}

public sealed class Clock : IClock
{
    public long Now() => 42;
    public string Zone => "UTC";
    public void Adjust(long ticks) { }
}

public sealed class Plain : INotAContract
{
    public int Value() => 1;
}

public static class Server
{
    /// <summary>The registrations the manifest lists; returns how many objects the daemon now serves besides its own.</summary>
    public static int Serve(PyroDaemon daemon, string suffix)
    {
        daemon.Register<IInventory>(new Inventory(), "inventory");
        daemon.Register<IClock>(new Clock());
        daemon.Register<IInventory>(() => new Inventory(), PyroInstanceMode.Session, "inventory." + suffix);
        daemon.Register(new PyroObjectBuilder("Hand").Method("wave", _ => "hi").Build(), "hand");
        try
        {
            daemon.Register<INotAContract>(new Plain(), "plain");
        }
        catch (System.InvalidOperationException)
        {
            // No generated dispatcher: the manifest says this registration serves nothing.
        }
        return daemon.RegisteredIds.Count - 1;
    }
}
