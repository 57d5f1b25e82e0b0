// Shapes the generator refuses: each is skipped (its proxy member throws NotSupportedException), the rest works.
using System;
using System.Threading;
using System.Threading.Tasks;
using TypedPyro;

namespace Example.Odd;

[Expose]
public interface IOdd
{
    int Fine(int x);

    T Echo<T>(T value);

    T? Find<T>() where T : class;

    T? FindValue<T>() where T : struct;

    T? FindAny<T>();

    void Swap(ref int a, out int b, in int c);

    [Oneway]
    int Counted();

    Task LateAsync(CancellationToken token, int x);

    void Dup(int x);

    void Dup(string x);

    System.IO.Stream Open(string path);

    void Take(Action callback);

    event EventHandler? Changed;

    int this[int index] { get; set; }

    ref int Slot();

    Func<int> Callback { get; }

    [PyroName("_hidden")]
    void Hidden();

    [PyroName("same")]
    int First();

    [PyroName("same")]
    int Second { get; }

    void Keywords(int @class, string @event = "e");
}

[Expose]
public interface IRepository<T>
{
    T Get(int id);
}

public class Holder
{
    [Expose]
    private interface IHidden
    {
        void Run();
    }
}

[PyroDto("bad.NotPartial")]
public class NotPartial
{
    public int X { get; set; }
}

[PyroDto("bad.Generic")]
public partial class GenericDto<T>
{
    public T? Value { get; set; }
}

[PyroDto("bad.Abstract")]
public abstract partial class AbstractDto
{
    public int X { get; set; }
}

[PyroDto("bad.NoMatch")]
public partial class NoMatch
{
    public NoMatch(int hidden) => Shown = hidden;

    public int Shown { get; }
}

[PyroDto("bad.Unsupported")]
public partial class UnsupportedMember
{
    public int Fine { get; set; }

    public Action? Callback { get; set; }
}
