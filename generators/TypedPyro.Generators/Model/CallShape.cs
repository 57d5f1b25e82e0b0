namespace TypedPyro.Generators.Model;

/// <summary>How a contract method is called, from its return type.</summary>
internal enum CallShape
{
    /// <summary><c>void</c>: called and waited for.</summary>
    Void,
    /// <summary>Any other type: called, waited for, and the result converted.</summary>
    Value,
    /// <summary><c>Task</c>.</summary>
    Task,
    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfT,
    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,
    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfT,
    /// <summary><c>IEnumerable&lt;T&gt;</c>: a remote iterator.</summary>
    Stream,
    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: a remote iterator consumed asynchronously.</summary>
    AsyncStream,
}
