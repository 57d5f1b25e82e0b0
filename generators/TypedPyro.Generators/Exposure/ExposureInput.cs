using System.Collections.Generic;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Exposure;

/// <summary>The build settings the exposure manifest depends on (<c>build_property.*</c> and the assembly name).</summary>
/// <param name="Enabled"><c>PyroExposureManifest</c> is true.</param>
/// <param name="ProjectDir">The project folder, to write source paths relative to it; null when unknown.</param>
/// <param name="AssemblyName">The compilation's assembly name.</param>
internal sealed record ExposureSettings(bool Enabled, string? ProjectDir, string AssemblyName);

/// <summary>The manifest's inputs as one equatable value: the output runs again only when one of them changed.</summary>
internal sealed record ExposureSnapshot(
    ExposureSettings Settings,
    EquatableArray<ContractModel> Contracts,
    EquatableArray<DtoModel> Dtos,
    EquatableArray<RegistrationModel> Registrations);

/// <summary>
/// Everything the manifest lists, in a stable order: the contracts of this compilation and those of referenced
/// assemblies that its registrations serve, the DTOs, and the registrations.
/// </summary>
internal sealed class ExposureInput
{
    /// <summary>The names of the methods of the daemon's own object, which every daemon serves (<c>PyroDaemon.DaemonObject.cs</c>).</summary>
    public static readonly string[] DaemonObjectMethods = ["close_stream", "get_metadata", "get_next_stream_item", "info", "ping", "registered"];

    /// <summary>The daemon object's id.</summary>
    public const string DaemonObjectId = "Pyro.Daemon";

    public ExposureInput(ExposureSnapshot snapshot)
    {
        Settings = snapshot.Settings;
        var (contracts, dtos, registrations) = (snapshot.Contracts, snapshot.Dtos, snapshot.Registrations);
        var local = new HashSet<string>(System.StringComparer.Ordinal);
        var all = new List<(ContractModel, bool)>();
        foreach (var contract in contracts)
        {
            if (local.Add(contract.InterfaceType)) all.Add((contract, false));
        }
        var external = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (registration.ExternalContract is { } contract && HasRemoteMembers(contract) && !local.Contains(contract.InterfaceType) && external.Add(contract.InterfaceType))
                all.Add((contract, true));
        }
        all.Sort(static (a, b) => string.CompareOrdinal(a.Item1.InterfaceType, b.Item1.InterfaceType));
        Contracts = all;

        var sortedDtos = new List<DtoModel>(dtos);
        sortedDtos.Sort(static (a, b) => string.CompareOrdinal(a.FullType, b.FullType));
        Dtos = sortedDtos;

        var sortedRegistrations = new List<RegistrationModel>(registrations);
        sortedRegistrations.Sort(static (a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
        Registrations = sortedRegistrations;
    }

    public ExposureSettings Settings { get; }

    /// <summary>Contracts by interface name; <c>External</c> for those declared in a referenced assembly.</summary>
    public IReadOnlyList<(ContractModel Contract, bool External)> Contracts { get; }

    public IReadOnlyList<DtoModel> Dtos { get; }

    public IReadOnlyList<RegistrationModel> Registrations { get; }

    /// <summary>The contract a registration serves, or null when it serves none the generator can see.</summary>
    public ContractModel? ContractOf(RegistrationModel registration)
    {
        foreach (var (contract, _) in Contracts)
        {
            if (contract.InterfaceType == registration.ContractType) return contract;
        }
        return null;
    }

    /// <summary>A C# type name without its <c>global::</c> prefix.</summary>
    public static string Plain(string type) => type.StartsWith("global::", System.StringComparison.Ordinal) ? type.Substring(8) : type;

    /// <summary>The fully qualified name of a member (<c>Example.IWarehouse.GetStock</c>).</summary>
    public static string FullName(MemberModel member) => Plain(member.DeclaringType) + "." + member.Name.TrimStart('@');

    /// <summary>A source path relative to the project folder, with <c>/</c> separators, when it is inside it.</summary>
    public string RelativePath(string path)
    {
        string normalized = path.Replace('\\', '/');
        if (Settings.ProjectDir is { Length: > 0 } dir)
        {
            string root = dir.Replace('\\', '/');
            if (!root.EndsWith("/", System.StringComparison.Ordinal)) root += "/";
            if (normalized.StartsWith(root, System.StringComparison.Ordinal)) return normalized.Substring(root.Length);
        }
        return normalized;
    }

    /// <summary>The methods a contract's dispatcher serves.</summary>
    public static IEnumerable<MemberModel> Methods(ContractModel contract)
    {
        foreach (var member in contract.Members)
        {
            if (member.IsDispatched && member.Kind == MemberKind.Method) yield return member;
        }
    }

    /// <summary>The attributes (properties) a contract's dispatcher serves.</summary>
    public static IEnumerable<MemberModel> Attributes(ContractModel contract)
    {
        foreach (var member in contract.Members)
        {
            if (member.IsDispatched && member.Kind == MemberKind.Property) yield return member;
        }
    }

    /// <summary>Members meant to be remote that are not served (unsupported shapes, duplicate names).</summary>
    public static IEnumerable<MemberModel> Skipped(ContractModel contract)
    {
        foreach (var member in contract.Members)
        {
            if (member.IsRemote && member.SkipReason is not null) yield return member;
        }
    }

    private static bool HasRemoteMembers(ContractModel contract)
    {
        foreach (var member in contract.Members)
        {
            if (member.IsRemote) return true;
        }
        return false;
    }
}
