using System.Collections;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace TypedPyro.Soak;

/// <summary>
/// The size of the runtime's socket event queue on Unix: each <c>SocketAsyncEngine</c> queues epoll events in a
/// <c>ConcurrentQueue</c> whose segment doubles whenever more events are pending than it holds, and never shrinks.
/// Heap dumps of long soaks (docs/reliability.md) show it is the only structure that keeps growing: it follows the
/// largest backlog the process has seen (a pause of the process, a starved machine), not the number of calls. The
/// soak weighs it apart so that the heap bar judges the daemon, not the runtime's high-water mark.
/// </summary>
/// <remarks>
/// It reads private runtime fields, so it is a measuring aid of this tool only, never of the library. Null when the
/// runtime's layout is not the one expected (another runtime version, Windows): the soak then judges the whole heap.
/// </remarks>
internal static class SocketEventQueue
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>Bytes held by the queues' segments (array header plus slots), or null when they cannot be read.</summary>
    public static long? Bytes()
    {
        try
        {
            var engineType = typeof(Socket).Assembly.GetType("System.Net.Sockets.SocketAsyncEngine");
            if (engineType?.GetField("s_engines", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) is not IEnumerable engines) return null;
            var queueField = engineType.GetField("_eventQueue", Private);
            if (queueField is null) return null;
            long total = 0;
            foreach (var engine in engines)
            {
                if (engine is null) continue;
                var queue = queueField.GetValue(engine);
                var segment = queue?.GetType().GetField("_head", Private)?.GetValue(queue);
                if (segment is null) return null;
                for (; segment is not null; segment = segment.GetType().GetField("_nextSegment", Private)?.GetValue(segment))
                {
                    if (segment.GetType().GetField("_slots", Private)?.GetValue(segment) is not Array slots) return null;
                    total += 3 * IntPtr.Size + (long)slots.Length * ElementSize(slots.GetType().GetElementType()!);
                }
            }
            return total;
        }
        catch (Exception e) when (e is TargetInvocationException or FieldAccessException or MemberAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    private static int ElementSize(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
}
