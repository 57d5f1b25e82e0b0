// Base interfaces (with their own naming policy), IDisposable/IAsyncDisposable, a nested interface, the global namespace.
using System;
using TypedPyro;

public interface INamed
{
    string Name { get; }

    string Greet(string who);
}

namespace Example.Web
{
    [PyroNaming(PyroNamingPolicy.SnakeCase)]
    public interface IHTTPServer : IDisposable
    {
        string GetURLPath(int item2Name);
    }

    [Expose]
    public interface IWebApp : IHTTPServer, INamed, IAsyncDisposable
    {
        void RestartServer();
    }

    public static class Outer
    {
        [Expose]
        internal interface IInner
        {
            int Value();
        }
    }
}

[Expose]
public interface IGlobalService : INamed
{
    new string Name { get; }
}
