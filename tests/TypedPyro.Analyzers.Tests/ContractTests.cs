using Microsoft.CodeAnalysis.Testing;
using Xunit;
using V = TypedPyro.Analyzers.Tests.Verify;

namespace TypedPyro.Analyzers.Tests;

public class ContractTests
{
    private static Task Run(string source, params DiagnosticResult[] expected) => V.Analyzer<ContractAnalyzer>(source, expected);

    [Fact]
    public Task ExposedClass_Fires() => Run("""
        [{|TPY1001:Expose|}]
        public class Warehouse { public void Store(string item) { } }
        """);

    [Fact]
    public Task ExposedClass_MessageNamesTheInterface() => Run("""
        public interface IWarehouse { void Store(string item); }
        [Expose]
        public class Warehouse : IWarehouse { public void Store(string item) { } }
        """,
        V.Diagnostic(Descriptors.ClassExposed).WithSpan(2, 2, 2, 8).WithArguments("Warehouse", " (move it to 'IWarehouse')"));

    [Fact]
    public Task ExposedInterfaceAndPlainClass_Quiet() => Run("""
        [Expose]
        public interface IWarehouse { void Store(string item); IReadOnlyList<string> List(); }
        public class Warehouse : IWarehouse
        {
            public void Store(string item) { }
            public IReadOnlyList<string> List() => [];
        }
        public interface INotRemote { Stream Open(); void Take(ref int x); }
        """);

    [Fact]
    public Task InheritedDisposable_Fires() => Run("""
        [Expose]
        public interface {|TPY2006:IWarehouse|} : {|TPY1002:IDisposable|}, {|TPY1002:System.IAsyncDisposable|} { void Store(string item); }
        """); // Dispose and DisposeAsync even share the wire name 'Dispose'

    [Fact]
    public Task InheritedLocalInterface_Fires_WithMembers() => Run("""
        public interface ILocal { void Reset(); int Count { get; } }
        [Expose]
        public interface IWarehouse : ILocal { void Store(string item); }
        """,
        V.Diagnostic(Descriptors.InheritedMembersLeak).WithSpan(3, 31, 3, 37).WithArguments("IWarehouse", "ILocal", "Reset, Count"));

    [Fact]
    public Task InheritedExposedOrSingleMembers_Quiet() => Run("""
        [Expose] public interface IBase { void Ping(); }
        public interface IPartly { [Expose] void Remote(); }
        [Expose]
        public interface IWarehouse : IBase, IPartly { void Store(string item); }
        public interface ILocalOnly : IDisposable { [Expose] void Remote2(); }
        """);

    [Fact]
    public Task PrivateWireName_Fires() => Run("""
        public interface IPartly { [Expose] void {|TPY1003:_Secret|}(); }
        [Expose]
        public interface IWarehouse
        {
            [PyroName("_hidden")] void {|TPY1003:Visible|}();
            [PyroName("__init__")] void {|TPY1003:Init|}();
        }
        """);

    [Fact]
    public Task PublicDunderWireName_Quiet() => Run("""
        [Expose]
        public interface IWarehouse
        {
            [PyroName("__len__")] int Length();
            void _NotRemoteAnyway2();
        }
        """ .Replace("void _NotRemoteAnyway2();", ""));

    [Fact]
    public Task GenericMethod_Fires() => Run("""
        [Expose]
        public interface IStore { T {|TPY2001:Get|}<T>(string key); void Put(string key, int value); }
        """);

    [Fact]
    public Task OpenGenericContract_Fires() => Run("""
        [Expose]
        public interface {|TPY2002:IRepository|}<T> { T Get(int id); }
        public interface {|TPY2002:IPartly|}<T> { [Expose] void Put(T item); }
        public interface ILocal<T> { T Get(); }
        [Expose]
        public interface IIntRepository : IRepository<int> { }
        """);

    [Fact]
    public Task ByRefParameters_Fire() => Run("""
        [Expose]
        public interface ICalc
        {
            bool TryParse(string text, out int {|TPY2003:value|});
            void Swap(ref int {|TPY2003:a|}, int b);
            int Twice(in int {|TPY2003:x|});
        }
        """);

    [Fact]
    public Task OnewayWithResult_Fires_Anywhere() => Run("""
        [Expose]
        public interface INotify
        {
            [{|TPY2004:Oneway|}] int Notify(string text);
            [{|TPY2004:Oneway|}] Task<int> NotifyLaterAsync(string text);
            [Oneway] void Fire(string text);
            [Oneway] Task FireLaterAsync(string text);
            [Oneway] ValueTask FireFast(string text);
        }
        public class Notifier { [{|TPY2004:Oneway|}] public string Shout() => ""; }
        """);

    [Fact]
    public Task CancellationTokenNotLast_Fires() => Run("""
        [Expose]
        public interface IJobs
        {
            Task Run(CancellationToken {|TPY2005:token|}, string name);
            Task Run2(string name, CancellationToken token);
            Task<int> Run3(string name, int retries = 3, CancellationToken token = default);
        }
        """);

    [Fact]
    public Task DuplicateWireNames_Fire() => Run("""
        [Expose]
        public interface IStock
        {
            int Get(string item);
            int {|TPY2006:Get|}(int id);
            Task<int> {|TPY2006:GetAsync|}(string item, CancellationToken token);
            [PyroName("count")] int Count();
            int {|TPY2006:count|} { get; }
        }
        """);

    [Fact]
    public Task DuplicateWireNames_AfterSnakeCase_Fire() => Run("""
        [Expose, PyroNaming(PyroNamingPolicy.SnakeCase)]
        public interface IStock
        {
            int GetStock(string item);
            [PyroName("get_stock")] int {|TPY2006:Stock|}(string item);
            Task<string> HTTPServerAsync();
            string {|TPY2006:Http_Server|}();
        }
        """);

    [Fact]
    public Task DistinctWireNames_Quiet() => Run("""
        [Expose, PyroNaming(PyroNamingPolicy.SnakeCase)]
        public interface IStock
        {
            int GetStock(string item);
            [PyroName("GetStock")] int Stock(string item);
            IEnumerable<string> ListAsync();
            Task<IEnumerable<string>> List2Async();
        }
        """);

    [Fact]
    public Task DuplicateAcrossBases_ReportedOnCombiningContract() => Run("""
        [Expose] public interface IA { void Ping(); }
        [Expose] public interface IB { void Ping(); }
        [Expose] public interface {|TPY2006:IBoth|} : IA, IB { }
        """);

    [Fact]
    public Task NotCrossable_Fires_WithReason() => Run("""
        public class Item { public string Name { get; set; } = ""; }
        [Expose]
        public interface IShop
        {
            {|#0:Item|} Find(string name);
            void Subscribe({|#1:Action<string>|} callback);
            void Wait({|#2:Task|} other);
            {|#3:(int, string)|} Pair();
            void Raw({|#4:Span<byte>|} data);
            void Dyn({|#5:dynamic|} value);
            {|#6:List<Item>|} All();
            {|#7:IComparable|} Compare();
            void Matrix({|#8:int[,]|} cells);
            void Many({|#9:IAsyncEnumerable<int>|} items);
        }
        """,
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(0).WithArguments("Item", "Find", "it is not a data transfer object; add [PyroDto(\"module.Class\")] to it (it must be partial)"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(1).WithArguments("Action<string>", "Subscribe", "delegates cannot be serialized; pass an [Expose] interface as a callback instead"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(2).WithArguments("Task", "Wait", "a task is a local promise; pass the value, or make the method itself async"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(3).WithArguments("(int, string)", "Pair", "tuples are not supported; use TypedPyro.Serialization.PyTuple or a [PyroDto] record"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(4).WithArguments("Span<byte>", "Raw", "ref structs such as Span<T> live on the stack only; use an array or ReadOnlyMemory<byte>"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(5).WithArguments("dynamic", "Dyn", "'dynamic' has no wire shape; declare the type"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(6).WithArguments("Item", "All", "it is not a data transfer object; add [PyroDto(\"module.Class\")] to it (it must be partial)"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(7).WithArguments("IComparable", "Compare", "it is neither a supported collection interface nor an [Expose] contract"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(8).WithArguments("int[,]", "Matrix", "multi-dimensional arrays are not supported; use arrays of arrays or lists"),
        V.Diagnostic(Descriptors.NotCrossable).WithLocation(9).WithArguments("IAsyncEnumerable<int>", "Many", "an IAsyncEnumerable<T> can only be the result of a remote method (a remote iterator)"));

    [Fact]
    public Task StreamParameter_FiresErrorAndInfo() => Run("""
        [Expose]
        public interface IFiles { void Upload({|TPY3001:{|TPY3003:Stream|}|} content); }
        """);

    [Fact]
    public Task PropertyAndTaskResult_NotCrossable_Fire() => Run("""
        public struct Point { public int X; }
        [Expose]
        public interface IPlot
        {
            {|TPY3001:Point|} Origin { get; set; }
            Task<{|TPY3001:Point|}> CenterAsync();
            IEnumerable<{|TPY3001:Point|}> Points();
            Task<Dictionary<string, {|TPY3001:Point|}>> Named();
        }
        """.Replace("Task<{|TPY3001:Point|}>", "{|TPY3001:Task<Point>|}").Replace("IEnumerable<{|TPY3001:Point|}>", "{|TPY3001:IEnumerable<Point>|}").Replace("Task<Dictionary<string, {|TPY3001:Point|}>>", "{|TPY3001:Task<Dictionary<string, Point>>|}"));

    [Fact]
    public Task CrossableTypes_Quiet() => Run("""
        [PyroDto("shop.Item")] public partial record Item(string Name, decimal Price);
        public enum Color { Red, Green }
        [Expose] public interface ICallback { void Done(string result); }
        [Expose]
        public interface IShop
        {
            Item Find(string name);
            Task<List<Item>> AllAsync(CancellationToken token = default);
            ValueTask<Dictionary<string, int[]>> Stock();
            IAsyncEnumerable<Item> Stream();
            IEnumerable<byte[]> Chunks();
            void Start(ICallback callback, Color color, Guid id, DateTime at, DateTimeOffset when, DateOnly day, TimeOnly time, TimeSpan span);
            void Numbers(bool a, char b, sbyte c, byte d, short e, ushort f, int g, uint h, long i, ulong j, float k, double l, decimal m, System.Numerics.BigInteger n, System.Numerics.Complex o, int? p);
            void Collections(IList<string> a, IReadOnlyList<string> b, IEnumerable<string> c, HashSet<int> d, ISet<int> e, IDictionary<string, object> f, IReadOnlyDictionary<string, object?> g, System.Collections.IDictionary h);
            object Any(object? value, PyroUri uri, PyTuple tuple);
            string Name { get; set; }
            Task Ping();
        }
        """);

    [Fact]
    public Task JsonOnlyTypes_FireWithJson() => V.Analyzer<ContractAnalyzer>("""
        [Expose]
        public interface IClock
        {
            {|TPY3002:TimeSpan|} Uptime();
            void Sleep({|TPY3002:TimeOnly|} until);
            System.Numerics.Complex {|TPY3002:Root|}(double x);
            void Store({|TPY3002:{|TPY3003:byte[]|}|} data);
            List<{|TPY3002:ReadOnlyMemory<byte>|}> Blobs();
        }
        """.Replace("System.Numerics.Complex {|TPY3002:Root|}", "{|TPY3002:System.Numerics.Complex|} Root").Replace("List<{|TPY3002:ReadOnlyMemory<byte>|}>", "{|TPY3002:List<ReadOnlyMemory<byte>>|}"), "json");

    [Fact]
    public Task JsonOnlyTypes_QuietWithSerpent() => V.Analyzer<ContractAnalyzer>("""
        [Expose]
        public interface IClock
        {
            TimeSpan Uptime();
            void Sleep(TimeOnly until);
            System.Numerics.Complex Root(double x);
            List<ReadOnlyMemory<byte>> Blobs();
        }
        """, "serpent");

    [Fact]
    public Task BinaryPayloads_Info() => Run("""
        [Expose]
        public interface IFiles
        {
            void Upload(string name, {|TPY3003:byte[]|} data);
            {|TPY3003:ReadOnlyMemory<byte>|} Download(string name);
            Task<{|TPY3003:Memory<byte>|}> FetchAsync(string name);
            {|TPY3003:byte[]?|} Thumbnail { get; }
            IAsyncEnumerable<byte[]> Chunks(string name);
            List<byte[]> Small();
        }
        """.Replace("Task<{|TPY3003:Memory<byte>|}>", "{|TPY3003:Task<Memory<byte>>|}"));

    [Fact]
    public Task SingleExposedMembers_OnlyThoseChecked() => Run("""
        public class Item { }
        public interface IMixed
        {
            [Expose] void Store({|TPY3001:Item|} item);
            void Local(Item item, ref int x);
        }
        """);
}
