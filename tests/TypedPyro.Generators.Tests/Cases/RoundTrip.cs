// Round trips over loopback TCP: a daemon serving implementations through generated dispatchers, typed proxies
// calling every member shape. Compiled together with Types.cs; run by RoundTripTests.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using TypedPyro;
using TypedPyro.Serialization;

namespace RoundTrip;

public interface INamed
{
    string Label { get; }

    string Greet(string who);
}

[Expose, PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface IShop : INamed
{
    int GetStock(string item);
    void Store(string item, int quantity);
    string Describe(string item, string prefix = "item", int width = 10);
    Task<int> CountAsync(CancellationToken cancellationToken = default);
    Task ResetAsync();
    ValueTask<string> ShoutAsync(string text, CancellationToken cancellationToken = default);
    ValueTask TouchAsync(int amount);
    [Oneway] void Log(string message);
    [Oneway] Task RecordAsync(string message);
    IEnumerable<int> Numbers(int count);
    IAsyncEnumerable<string> LettersAsync(int count, CancellationToken cancellationToken = default);
    int Capacity { get; set; }
    string Owner { get; }
    [PyroName("explicit")] string Renamed([PyroName("x")] string text);
    int Sum(int first, params int[] rest);
    Color Paint(Color color = Color.Green);
    string Defaults(double factor = 2.5, decimal bonus = 1.25m, char mark = 'x', string? note = null, Color? tint = null, TimeSpan span = default, float ratio = 0.5f, long big = 1L << 40);
    int Fail(string reason);
    Task ExplodeAsync(string reason);
    int Shadow(int v, int v1);
}

public interface ICalculator
{
    [Expose] int Add(int a, int b);
    [Expose] double Ratio { get; }
    int LocalOnly(int x);
    string Mode { get; set; }
}

public static class Outer
{
    [Expose]
    public interface IInner : IDisposable
    {
        string Where();
    }
}

public sealed class Shop : IShop
{
    private readonly Dictionary<string, int> _stock = new() { ["pen"] = 3 };
    private int _touched;

    public List<string> Logs { get; } = new();
    public int Touched => _touched;
    public string Label => "the shop";
    public int Capacity { get; set; } = 100;
    public string Owner => "ann";

    public string Greet(string who) => "hello " + who;
    public int GetStock(string item) { lock (_stock) return _stock.TryGetValue(item, out int n) ? n : 0; }
    public void Store(string item, int quantity) { lock (_stock) _stock[item] = GetStock(item) + quantity; }
    public string Describe(string item, string prefix = "item", int width = 10) => prefix + ":" + item + ":" + width;
    public async Task<int> CountAsync(CancellationToken cancellationToken = default) { await Task.Yield(); lock (_stock) return _stock.Count; }
    public Task ResetAsync() { lock (_stock) _stock.Clear(); return Task.CompletedTask; }
    public async ValueTask<string> ShoutAsync(string text, CancellationToken cancellationToken = default) { await Task.Delay(1, cancellationToken); return text.ToUpperInvariant(); }
    public ValueTask TouchAsync(int amount) { Interlocked.Add(ref _touched, amount); return default; }
    public void Log(string message) { lock (Logs) Logs.Add(message); }
    public async Task RecordAsync(string message) { await Task.Yield(); Log("record:" + message); }
    public IEnumerable<int> Numbers(int count) { for (int i = 0; i < count; i++) yield return i * i; }
    public async IAsyncEnumerable<string> LettersAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return ((char)('a' + i)).ToString();
        }
    }
    public string Renamed(string text) => "renamed " + text;
    public int Sum(int first, params int[] rest) => first + rest.Sum();
    public Color Paint(Color color = Color.Green) => color;
    public string Defaults(double factor = 2.5, decimal bonus = 1.25m, char mark = 'x', string? note = null, Color? tint = null, TimeSpan span = default, float ratio = 0.5f, long big = 1L << 40)
        => string.Join("|", factor.ToString(CultureInfo.InvariantCulture), bonus.ToString(CultureInfo.InvariantCulture), mark, note ?? "null",
            tint?.ToString() ?? "null", span.ToString(), ratio.ToString(CultureInfo.InvariantCulture), big.ToString(CultureInfo.InvariantCulture));
    public int Fail(string reason) => throw new InvalidOperationException(reason);
    public Task ExplodeAsync(string reason) => Task.FromException(new ArgumentException(reason));
    public int Shadow(int v, int v1) => v * 10 + v1;
}

public sealed class Calculator : ICalculator
{
    public double Ratio => 0.25;
    public string Mode { get; set; } = "local";
    public int Add(int a, int b) => a + b;
    public int LocalOnly(int x) => -x;
}

public sealed class Inner : Outer.IInner
{
    public string Where() => "inside";
    public void Dispose() { }
}

public sealed class AllTypes : ITypes
{
    public object? EchoObject(object? value) => value;
    public object EchoNonNullObject(object value) => value;
    public bool EchoBool(bool value) => value;
    public long EchoLong(long value) => value;
    public int EchoInt(int value) => value;
    public short EchoShort(short value) => value;
    public byte EchoByte(byte value) => value;
    public sbyte EchoSByte(sbyte value) => value;
    public ushort EchoUShort(ushort value) => value;
    public uint EchoUInt(uint value) => value;
    public ulong EchoULong(ulong value) => value;
    public BigInteger EchoBigInteger(BigInteger value) => value;
    public float EchoFloat(float value) => value;
    public double EchoDouble(double value) => value;
    public decimal EchoDecimal(decimal value) => value;
    public string EchoString(string value) => value;
    public string? EchoNullableString(string? value) => value;
    public char EchoChar(char value) => value;
    public byte[] EchoBytes(byte[] value) => value;
    public ReadOnlyMemory<byte> EchoMemory(ReadOnlyMemory<byte> value) => value;
    public long SumMemory(Memory<byte> value)
    {
        long sum = 0;
        foreach (byte b in value.Span) sum += b;
        return sum;
    }
    public Guid EchoGuid(Guid value) => value;
    public DateTime EchoDateTime(DateTime value) => value;
    public DateTimeOffset EchoDateTimeOffset(DateTimeOffset value) => value;
    public DateOnly EchoDateOnly(DateOnly value) => value;
    public TimeOnly EchoTimeOnly(TimeOnly value) => value;
    public TimeSpan EchoTimeSpan(TimeSpan value) => value;
    public Complex EchoComplex(Complex value) => value;
    public Color EchoColor(Color value) => value;
    public PyroUri EchoUri(PyroUri value) => value;
    public int? EchoNullableInt(int? value) => value;
    public Color? EchoNullableColor(Color? value) => value;
    public int[] EchoArray(int[] value) => value;
    public string?[] EchoNullableStrings(string?[] value) => value;
    public List<string> EchoList(List<string> value) => value;
    public IList<int> EchoIList(IList<int> value) => value;
    public IReadOnlyList<double> EchoReadOnlyList(IReadOnlyList<double> value) => value;
    public ICollection<long> EchoCollection(ICollection<long> value) => value;
    public IReadOnlyCollection<string> EchoReadOnlyCollection(IReadOnlyCollection<string> value) => value;
    public int Sum(IEnumerable<int> values) => values.Sum();
    public HashSet<int> EchoHashSet(HashSet<int> value) => value;
    public ISet<string> EchoISet(ISet<string> value) => value;
    public IReadOnlySet<int> EchoReadOnlySet(IReadOnlySet<int> value) => value;
    public Dictionary<string, int> EchoDictionary(Dictionary<string, int> value) => value;
    public IDictionary<int, string> EchoIDictionary(IDictionary<int, string> value) => value;
    public IReadOnlyDictionary<string, List<int>> EchoNested(IReadOnlyDictionary<string, List<int>> value) => value;
    public IList<IList<int>> EchoListOfLists(IList<IList<int>> value) => value;
    public Item EchoItem(Item value) => value;
    public Item? EchoNullableItem(Item? value) => value;
    public Point EchoPoint(Point value) => value;
    public Point? EchoNullablePoint(Point? value) => value;
    public List<Item> EchoItems(List<Item> value) => value;
    public PyTuple EchoTuple(PyTuple value) => value;
    public List<object?> EchoObjectList(List<object?> value) => value;
    public Dictionary<object, object?> EchoObjectDictionary(Dictionary<object, object?> value) => value;
}

public static class Scenarios
{
    public static async Task<List<string>> Types(SerializerId serializer)
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register<ITypes>(new AllTypes(), "types");
        daemon.Start();
        var p = Pyro.Proxy<ITypes>(uri, new PyroProxyOptions { Serializer = serializer });
        var results = new List<string>();
        void Check(string name, object? expected, Func<object?> call)
        {
            try
            {
                object? actual = call();
                results.Add(name + ": " + (Format(expected) == Format(actual) ? "ok" : "MISMATCH expected " + Format(expected) + " got " + Format(actual)));
            }
            catch (Exception e)
            {
                results.Add(name + ": FAILED " + e.GetType().Name + ": " + e.Message);
            }
        }

        var item = new Item("pen", 2, 0.5) { Tags = new List<string> { "blue", "cheap" }, Note = "n" };
        Check("object", 42L, () => p.EchoObject(42L));
        Check("object null", null, () => p.EchoObject(null));
        Check("object nonnull", "x", () => p.EchoNonNullObject("x"));
        Check("bool", true, () => p.EchoBool(true));
        Check("long", long.MinValue, () => p.EchoLong(long.MinValue));
        Check("int", -7, () => p.EchoInt(-7));
        Check("short", (short)-300, () => p.EchoShort(-300));
        Check("byte", (byte)255, () => p.EchoByte(255));
        Check("sbyte", (sbyte)-5, () => p.EchoSByte(-5));
        Check("ushort", (ushort)65535, () => p.EchoUShort(65535));
        Check("uint", uint.MaxValue, () => p.EchoUInt(uint.MaxValue));
        Check("ulong", ulong.MaxValue, () => p.EchoULong(ulong.MaxValue));
        Check("BigInteger", BigInteger.Pow(2, 100), () => p.EchoBigInteger(BigInteger.Pow(2, 100)));
        Check("float", 1.5f, () => p.EchoFloat(1.5f));
        Check("double", 0.1, () => p.EchoDouble(0.1));
        Check("decimal", 12.34m, () => p.EchoDecimal(12.34m));
        Check("string", "héllo", () => p.EchoString("héllo"));
        Check("string? null", null, () => p.EchoNullableString(null));
        Check("char", 'é', () => p.EchoChar('é'));
        Check("byte[]", new byte[] { 1, 2, 255 }, () => p.EchoBytes(new byte[] { 1, 2, 255 }));
        Check("ReadOnlyMemory<byte>", new byte[] { 1, 2, 255 }, () => p.EchoMemory(new byte[] { 1, 2, 255 }).ToArray());
        // Bulk (over 64 KiB): the daemon hands the method a view of its receive buffer.
        var bulk = new byte[200_000];
        new Random(7).NextBytes(bulk);
        long bulkSum = 0;
        foreach (byte b in bulk) bulkSum += b;
        Check("ReadOnlyMemory<byte> bulk", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bulk)), () => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(p.EchoMemory(bulk).Span)));
        Check("Memory<byte> bulk", bulkSum, () => p.SumMemory(bulk));
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        Check("Guid", guid, () => p.EchoGuid(guid));
        var now = new DateTime(2024, 5, 6, 7, 8, 9, 123, DateTimeKind.Unspecified);
        Check("DateTime", now, () => p.EchoDateTime(now));
        var offset = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        Check("DateTimeOffset", offset, () => p.EchoDateTimeOffset(offset));
        Check("DateOnly", new DateOnly(2024, 2, 29), () => p.EchoDateOnly(new DateOnly(2024, 2, 29)));
        Check("TimeOnly", new TimeOnly(13, 14, 15), () => p.EchoTimeOnly(new TimeOnly(13, 14, 15)));
        Check("TimeSpan", TimeSpan.FromSeconds(90.5), () => p.EchoTimeSpan(TimeSpan.FromSeconds(90.5)));
        Check("Complex", new Complex(1.5, -2), () => p.EchoComplex(new Complex(1.5, -2)));
        Check("enum", Color.Blue, () => p.EchoColor(Color.Blue));
        var other = PyroUri.Parse("PYRO:thing@localhost:4321");
        Check("PyroUri", other, () => p.EchoUri(other));
        Check("int?", 5, () => p.EchoNullableInt(5));
        Check("int? null", null, () => p.EchoNullableInt(null));
        Check("enum?", Color.Red, () => p.EchoNullableColor(Color.Red));
        Check("int[]", new[] { 1, 2, 3 }, () => p.EchoArray(new[] { 1, 2, 3 }));
        Check("string?[]", new[] { "a", null }, () => p.EchoNullableStrings(new[] { "a", null }));
        Check("List", new List<string> { "x", "y" }, () => p.EchoList(new List<string> { "x", "y" }));
        Check("IList", new List<int> { 4 }, () => p.EchoIList(new List<int> { 4 }));
        Check("IReadOnlyList", new List<double> { 0.5 }, () => p.EchoReadOnlyList(new List<double> { 0.5 }));
        Check("ICollection", new List<long> { 9 }, () => p.EchoCollection(new List<long> { 9 }));
        Check("IReadOnlyCollection", new List<string> { "q" }, () => p.EchoReadOnlyCollection(new List<string> { "q" }));
        Check("IEnumerable parameter", 6, () => p.Sum(new[] { 1, 2, 3 }));
        Check("HashSet", new HashSet<int> { 3, 1, 2 }, () => p.EchoHashSet(new HashSet<int> { 3, 1, 2 }));
        Check("ISet", new HashSet<string> { "b", "a" }, () => p.EchoISet(new HashSet<string> { "b", "a" }));
        Check("IReadOnlySet", new HashSet<int> { 7 }, () => p.EchoReadOnlySet(new HashSet<int> { 7 }));
        Check("Dictionary", new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, () => p.EchoDictionary(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
        Check("IDictionary", new Dictionary<int, string> { [1] = "one" }, () => p.EchoIDictionary(new Dictionary<int, string> { [1] = "one" }));
        Check("nested", new Dictionary<string, List<int>> { ["k"] = new List<int> { 1, 2 } }, () => p.EchoNested(new Dictionary<string, List<int>> { ["k"] = new List<int> { 1, 2 } }));
        Check("list of lists", new List<IList<int>> { new List<int> { 1 }, new List<int>() }, () => p.EchoListOfLists(new List<IList<int>> { new List<int> { 1 }, new List<int>() }));
        Check("dto record", item, () => p.EchoItem(item));
        Check("dto null", null, () => p.EchoNullableItem(null));
        Check("dto struct", new Point { X = 3, Y = -4 }, () => p.EchoPoint(new Point { X = 3, Y = -4 }));
        Check("dto struct?", new Point { X = 1, Y = 2 }, () => p.EchoNullablePoint(new Point { X = 1, Y = 2 }));
        Check("dto list", new List<Item> { item, new Item("cup", 1) }, () => p.EchoItems(new List<Item> { item, new Item("cup", 1) }));
        Check("PyTuple", new PyTuple(1L, "a"), () => p.EchoTuple(new PyTuple(1L, "a")));
        Check("List<object?>", new List<object?> { 1L, "a", null }, () => p.EchoObjectList(new List<object?> { 1L, "a", null }));
        Check("Dictionary<object, object?>", new Dictionary<object, object?> { ["a"] = 1L, [2L] = null }, () => p.EchoObjectDictionary(new Dictionary<object, object?> { ["a"] = 1L, [2L] = null }));
        ((IDisposable)p).Dispose();
        return results;
    }

    public static async Task<List<string>> Shop()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var impl = new Shop();
        var uri = daemon.Register<IShop>(impl, "shop");
        daemon.Start();
        var shop = Pyro.Proxy<IShop>(uri);
        var connection = Pyro.Connection(shop);
        var r = new List<string>();
        r.Add("label=" + shop.Label);
        r.Add("greet=" + shop.Greet("bob"));
        r.Add("stock=" + shop.GetStock("pen"));
        shop.Store("pen", 2);
        r.Add("stored=" + shop.GetStock("pen"));
        r.Add("describe=" + shop.Describe("pen"));
        r.Add("describe2=" + shop.Describe("pen", "thing", 3));
        r.Add("count=" + await shop.CountAsync());
        r.Add("shout=" + await shop.ShoutAsync("hi"));
        await shop.TouchAsync(5);
        r.Add("touched=" + impl.Touched);
        shop.Log("one");
        await shop.RecordAsync("two");
        for (int i = 0; i < 200 && impl.Logs.Count < 2; i++) await Task.Delay(10);
        lock (impl.Logs) r.Add("logs=" + string.Join(",", impl.Logs.OrderBy(l => l, StringComparer.Ordinal)));
        r.Add("numbers=" + string.Join(",", shop.Numbers(4)));
        var letters = new List<string>();
        await foreach (var letter in shop.LettersAsync(3)) letters.Add(letter);
        r.Add("letters=" + string.Join(",", letters));
        r.Add("capacity=" + shop.Capacity);
        shop.Capacity = 7;
        r.Add("capacity2=" + shop.Capacity + "/" + impl.Capacity);
        r.Add("owner=" + shop.Owner);
        r.Add("renamed=" + shop.Renamed("x"));
        r.Add("sum=" + shop.Sum(1, 2, 3));
        r.Add("paint=" + shop.Paint() + "," + shop.Paint(Color.Blue));
        r.Add("defaults=" + shop.Defaults());
        r.Add("defaults2=" + shop.Defaults(1, 2m, 'y', "n", Color.Red, TimeSpan.FromSeconds(3), 0.25f, 5));
        r.Add("shadow=" + shop.Shadow(4, 2));
        await shop.ResetAsync();
        r.Add("reset=" + await shop.CountAsync());
        try { shop.Fail("bad"); } catch (Exception e) { r.Add("fail=" + e.Message); }
        try { await shop.ExplodeAsync("worse"); } catch (ArgumentException e) { r.Add("explode=" + e.Message); }

        // The wire, untyped: snake_case names, keywords, attributes, metadata.
        r.Add("wire get_stock=" + await connection.InvokeAsync("get_stock", new object?[] { "none" }));
        r.Add("wire describe=" + await connection.InvokeAsync("describe", new object?[] { "cup" }, new Dictionary<string, object?> { ["width"] = 3L }));
        r.Add("wire explicit=" + await connection.InvokeAsync("explicit", null, new Dictionary<string, object?> { ["x"] = "kw" }));
        r.Add("wire capacity=" + await connection.GetAttributeAsync("capacity"));
        try { await connection.SetAttributeAsync("owner", "bob"); } catch (Exception e) { r.Add("wire set owner=" + e.GetType().Name + ": " + e.Message); }
        try { await connection.InvokeAsync("get_stock", new object?[] { 5L }); } catch (Exception e) { r.Add("wire bad arg=" + e.GetType().Name + ": " + e.Message); }
        try { await connection.InvokeAsync("GetStock", new object?[] { "pen" }); } catch (Exception e) { r.Add("wire csharp name=" + e.GetType().Name); }
        var metadata = connection.Metadata!;
        r.Add("methods=" + string.Join(",", metadata.Methods.Order(StringComparer.Ordinal)));
        r.Add("oneway=" + string.Join(",", metadata.Oneway.Order(StringComparer.Ordinal)));
        r.Add("attrs=" + string.Join(",", metadata.Attributes.Order(StringComparer.Ordinal)));
        ((IDisposable)shop).Dispose();
        return r;
    }

    public static async Task<List<string>> Partial()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var calculatorUri = daemon.Register<ICalculator>(new Calculator(), "calculator");
        var innerUri = daemon.Register<Outer.IInner>(new Inner(), "inner");
        daemon.Start();
        var r = new List<string>();
        var calculator = Pyro.Proxy<ICalculator>(calculatorUri);
        r.Add("add=" + calculator.Add(2, 3));
        r.Add("ratio=" + calculator.Ratio.ToString(CultureInfo.InvariantCulture));
        try { calculator.LocalOnly(1); } catch (NotSupportedException e) { r.Add("local=" + e.Message); }
        try { _ = calculator.Mode; } catch (NotSupportedException e) { r.Add("mode=" + e.Message); }
        var metadata = Pyro.Connection(calculator).Metadata!;
        r.Add("methods=" + string.Join(",", metadata.Methods.Order(StringComparer.Ordinal)) + " attrs=" + string.Join(",", metadata.Attributes.Order(StringComparer.Ordinal)));
        Pyro.Release(calculator);
        using (var inner = Pyro.Proxy<Outer.IInner>(innerUri))
        {
            r.Add("inner=" + inner.Where());
        }
        return r;
    }

    /// <summary>Calls a dispatcher in process, as the daemon would.</summary>
    public static async Task<string> Dispatch(PyroCallContext context, string method, object?[] args, Dictionary<string, object?>? kwargs)
    {
        var dispatcher = PyroContracts.CreateDispatcher<IShop>(new Shop());
        try
        {
            object? result = await dispatcher.InvokeAsync(new PyroInvocation(method, args, kwargs, context));
            if (result is IAsyncEnumerable<object?> stream)
            {
                var items = new List<object?>();
                await foreach (var item in stream) items.Add(item);
                return "stream: " + Format(items);
            }
            return "ok: " + Format(result);
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    public static async Task<string> SetAttribute(PyroCallContext context, string name, object? value)
    {
        var dispatcher = PyroContracts.CreateDispatcher<IShop>(new Shop());
        try
        {
            await dispatcher.SetAttributeAsync(name, value, context);
            return "ok: " + Format(await dispatcher.GetAttributeAsync(name, context));
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    public static string Metadata()
    {
        var dispatcher = PyroContracts.CreateDispatcher<IShop>(new Shop());
        return dispatcher.TypeName + " methods=" + string.Join(",", dispatcher.Metadata.Methods.Order(StringComparer.Ordinal))
            + " oneway=" + string.Join(",", dispatcher.Metadata.Oneway.Order(StringComparer.Ordinal))
            + " attrs=" + string.Join(",", dispatcher.Metadata.Attributes.Order(StringComparer.Ordinal));
    }

    /// <summary>A canonical text of a value: collections item by item, sets and dictionaries sorted.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => "'" + s + "'",
        char c => "'" + c + "'",
        byte[] bytes => "bytes(" + Convert.ToHexString(bytes) + ")",
        Item i => "Item(" + Format(i.Name) + ", " + i.Quantity + ", " + Format(i.Price) + ", " + Format(i.Tags) + ", " + Format(i.Note) + ")",
        Point p => "Point(" + p.X + ", " + p.Y + ")",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        PyTuple t => "(" + string.Join(", ", t.Select(Format)) + ")",
        IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => Format(k) + ": " + Format(d[k])).Order(StringComparer.Ordinal)) + "}",
        IEnumerable e when IsSet(e) => "{" + string.Join(", ", e.Cast<object?>().Select(Format).Order(StringComparer.Ordinal)) + "}",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool IsSet(object value) => value.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISet<>));
}
