namespace TypedPyro.Generators;

/// <summary>The names of the generator's pipeline steps (<c>WithTrackingName</c>), for incrementality tests.</summary>
internal static class TrackingNames
{
    /// <summary>Contracts found through <c>[Expose]</c> on interfaces.</summary>
    public const string InterfaceContracts = nameof(InterfaceContracts);

    /// <summary>Contracts found through <c>[Expose]</c> on members, one per member.</summary>
    public const string MemberContracts = nameof(MemberContracts);

    /// <summary>Contracts found through <c>[Expose]</c> on members, one per interface.</summary>
    public const string DistinctMemberContracts = nameof(DistinctMemberContracts);

    /// <summary><c>[PyroDto]</c> types.</summary>
    public const string Dtos = nameof(Dtos);
}
