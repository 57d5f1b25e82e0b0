namespace TypedPyro.Generators;

/// <summary>The names of the generator's pipeline steps (<c>WithTrackingName</c>), for incrementality tests.</summary>
internal static class TrackingNames
{
    /// <summary>Contracts found through <c>[Expose]</c> on interfaces.</summary>
    public const string InterfaceContracts = nameof(InterfaceContracts);

    /// <summary>Contracts found through <c>[Expose]</c> on members, one per member.</summary>
    public const string MemberContracts = nameof(MemberContracts);

    /// <summary>All contracts, one per interface: what the proxies, dispatchers and registrations are made from.</summary>
    public const string Contracts = nameof(Contracts);

    /// <summary><c>[PyroDto]</c> types, one per declaration carrying the attribute.</summary>
    public const string Dtos = nameof(Dtos);

    /// <summary><c>[PyroDto]</c> types, one per type.</summary>
    public const string DistinctDtos = nameof(DistinctDtos);

    /// <summary>The exposure manifest's build settings.</summary>
    public const string ExposureSettings = nameof(ExposureSettings);

    /// <summary>Daemon registrations seen in source, for the exposure manifest.</summary>
    public const string Registrations = nameof(Registrations);

    /// <summary>Everything the exposure manifest is made from.</summary>
    public const string Exposure = nameof(Exposure);
}
