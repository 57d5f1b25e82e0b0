// One copy of Pyro's "private name" rule, compiled into the runtime, the generator and the analyzers
// (linked into each project) so the three can never disagree.
using System;
using System.Collections.Generic;

namespace TypedPyro.Shared;

internal static class PyroPrivateNames
{
    // Python's Pyro4.util._private_dunder_methods: dunder names that stay private although they look public.
    private static readonly HashSet<string> PrivateDunders = new(StringComparer.Ordinal)
    {
        "__init__", "__init_subclass__", "__class__", "__module__", "__weakref__",
        "__call__", "__new__", "__del__", "__repr__", "__unicode__",
        "__str__", "__format__", "__nonzero__", "__bool__", "__coerce__",
        "__cmp__", "__eq__", "__ne__", "__hash__", "__ge__", "__gt__", "__le__", "__lt__",
        "__dir__", "__enter__", "__exit__", "__copy__", "__deepcopy__", "__sizeof__",
        "__getattr__", "__setattr__", "__hasattr__", "__getattribute__", "__delattr__",
        "__instancecheck__", "__subclasscheck__", "__getinitargs__", "__getnewargs__",
        "__getstate__", "__setstate__", "__reduce__", "__reduce_ex__",
        "__getstate_for_dict__", "__setstate_from_dict__", "__subclasshook__",
    };

    /// <summary>
    /// True when Pyro treats <paramref name="name"/> as private: it starts with <c>_</c> and is not a public dunder
    /// (<c>__x__</c> longer than 4 characters and not in Pyro's private list).
    /// </summary>
    public static bool IsPrivate(string name)
    {
        if (PrivateDunders.Contains(name)) return true;
        if (name.Length == 0 || name[0] != '_') return false;
        return !(name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal));
    }
}
