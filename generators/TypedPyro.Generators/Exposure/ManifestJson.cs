using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Exposure;

/// <summary>
/// Writes <c>pyro-exposure.json</c>: every contract with the wire names, oneway flags and wire types of what its
/// dispatcher serves, the DTOs, the registrations seen in source, and the daemon's own object. The format is
/// described in docs/exposure-manifest.md.
/// </summary>
internal static class ManifestJson
{
    public const int FormatVersion = 1;

    public static string Write(ExposureInput input)
    {
        var w = new JsonWriter();
        w.StartObject();
        w.Number("manifestVersion", FormatVersion);
        w.String("assembly", input.Settings.AssemblyName);

        w.StartArray("contracts");
        foreach (var (contract, external) in input.Contracts) Contract(w, contract, external);
        w.EndArray();

        w.StartArray("dtos");
        foreach (var dto in input.Dtos) Dto(w, dto);
        w.EndArray();

        w.StartArray("registrations");
        foreach (var registration in input.Registrations) Registration(w, input, registration);
        w.EndArray();

        w.StartObject("daemonObject");
        w.String("objectId", ExposureInput.DaemonObjectId);
        w.Strings("methods", ExposureInput.DaemonObjectMethods);
        w.EndObject();

        w.EndObject();
        return w.ToString();
    }

    private static void Contract(JsonWriter w, ContractModel contract, bool external)
    {
        w.StartObject();
        w.String("interface", ExposureInput.Plain(contract.InterfaceType));
        w.String("typeName", contract.TypeName);
        w.Bool("external", external);
        if (contract.SkipReason is not null) w.String("notGenerated", contract.SkipReason);

        w.StartArray("methods");
        foreach (var method in ExposureInput.Methods(contract))
        {
            w.StartObject();
            w.String("wireName", method.WireName);
            w.String("member", ExposureInput.FullName(method));
            w.Bool("oneway", method.IsOneway);
            w.StartArray("parameters");
            foreach (var parameter in method.Parameters)
            {
                if (parameter.IsCancellationToken) continue; // local, never sent
                w.StartObject();
                w.String("wireName", parameter.WireName);
                w.String("wireType", parameter.WireType);
                w.Bool("optional", parameter.IsOptional);
                w.EndObject();
            }
            w.EndArray();
            w.String("returns", method.WireType);
            w.EndObject();
        }
        w.EndArray();

        w.StartArray("attributes");
        foreach (var attribute in ExposureInput.Attributes(contract))
        {
            w.StartObject();
            w.String("wireName", attribute.WireName);
            w.String("member", ExposureInput.FullName(attribute));
            w.String("wireType", attribute.WireType);
            w.Bool("readable", attribute.HasGetter);
            w.Bool("writable", attribute.HasSetter);
            w.EndObject();
        }
        w.EndArray();

        w.StartArray("notServed");
        foreach (var member in ExposureInput.Skipped(contract))
        {
            w.StartObject();
            w.String("member", ExposureInput.FullName(member));
            w.String("reason", member.SkipReason);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    private static void Dto(JsonWriter w, DtoModel dto)
    {
        w.StartObject();
        w.String("type", ExposureInput.Plain(dto.FullType));
        w.String("className", dto.ClassName);
        if (dto.SkipReason is not null) w.String("notGenerated", dto.SkipReason);
        w.StartArray("properties");
        foreach (var property in dto.Properties)
        {
            w.StartObject();
            w.String("wireName", property.WireName);
            w.String("wireType", property.WireType);
            if (property.SkipReason is not null) w.String("notSent", property.SkipReason);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    private static void Registration(JsonWriter w, ExposureInput input, RegistrationModel registration)
    {
        w.StartObject();
        w.String("call", registration.Call);
        w.String("contract", registration.ContractType is null ? null : ExposureInput.Plain(registration.ContractType));
        w.String("objectId", registration.ObjectId);
        w.String("objectIdKind", registration.ObjectIdKind);
        if (registration.InstanceMode is not null) w.String("instanceMode", registration.InstanceMode);
        w.String("file", input.RelativePath(registration.File));
        w.Number("line", registration.Line);
        w.String("serves", Serves(input, registration));
        w.EndObject();
    }

    /// <summary>What a registration makes callable: <c>contract</c>, <c>unknown</c> (a hand-made dispatcher) or <c>nothing</c>.</summary>
    public static string Serves(ExposureInput input, RegistrationModel registration)
    {
        if (registration.ContractType is null) return "unknown";
        return input.ContractOf(registration) is { SkipReason: null } ? "contract" : "nothing";
    }
}
