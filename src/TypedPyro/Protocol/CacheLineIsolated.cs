using System.Runtime.InteropServices;

namespace TypedPyro.Protocol;

/// <summary>
/// A base for objects one thread writes on every call: 128 bytes of padding ahead of the fields of every derived
/// class, so that no object the heap places before this one shares a cache line with them. A derived class ends with
/// a <see cref="CacheLinePadding"/> field for the far side.
/// </summary>
/// <remarks>
/// Padding has to come from a base class: the runtime lays out a class's own fields as references, then primitives,
/// then structs, so a padding struct declared in the class itself lands behind its fields whatever the declaration
/// order (<c>CacheLineIsolatedTests</c> pin this). Why it matters: with the client and the daemon on two cores, a
/// line written by one and read by the other moves between the cores each call. In the oneway profile (W3,
/// unthreaded) the thread's reused argument writer shared a line with the activity source the daemon reads per call:
/// one load and one store stalled for 13-15% of all samples each, in the runs that fell to ~3M calls/s. Padding the
/// writer, the call gate, the buffer writers and the oneway queue removed those stalls; the harness's W3 unthreaded
/// row went from 0.52-0.69x to 0.78-0.79x raw (old and new builds alternated, 2026-12-07).
/// </remarks>
internal abstract class CacheLineIsolated
{
#pragma warning disable CS0169 // never read: the padding is the point
    private readonly CacheLinePadding _lead;
#pragma warning restore CS0169
}

/// <summary>128 bytes: two cache lines (adjacent-line prefetch pulls lines in pairs).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct CacheLinePadding;
