using System.Collections.Generic;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Exposure;

/// <summary>
/// Writes <c>pyro-exposure.sarif</c> (SARIF 2.1.0): one result per remotely callable member, per registration and
/// per risk (a writable attribute, a registration whose members cannot be seen, one that fails), so code-scanning
/// tools show a build's remote surface beside its other findings.
/// </summary>
internal static class ManifestSarif
{
    private sealed record Rule(string Id, string Name, string Level, string Description);

    private static readonly Rule Method = new("PYX001", "RemoteMethod", "note", "A method remote callers can invoke.");
    private static readonly Rule OnewayMethod = new("PYX002", "RemoteOnewayMethod", "note", "A oneway method remote callers can invoke without waiting for it.");
    private static readonly Rule Attribute = new("PYX003", "RemoteAttribute", "note", "A property remote callers can read.");
    private static readonly Rule WritableAttribute = new("PYX004", "WritableRemoteAttribute", "warning", "A property remote callers can change.");
    private static readonly Rule Registration = new("PYX005", "Registration", "note", "An object a daemon serves.");
    private static readonly Rule OpaqueRegistration = new("PYX006", "OpaqueRegistration", "warning", "A registered hand-made dispatcher: what it serves is not known at build time.");
    private static readonly Rule FailingRegistration = new("PYX007", "FailingRegistration", "warning", "A registration of a type without a generated dispatcher: it throws when it runs.");
    private static readonly Rule DaemonObject = new("PYX008", "DaemonObject", "note", "The daemon's own object, which every daemon serves.");

    private static readonly Rule[] Rules = [Method, OnewayMethod, Attribute, WritableAttribute, Registration, OpaqueRegistration, FailingRegistration, DaemonObject];

    public static string Write(ExposureInput input)
    {
        var w = new JsonWriter();
        w.StartObject();
        w.String("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        w.String("version", "2.1.0");
        w.StartArray("runs");
        w.StartObject();

        w.StartObject("tool").StartObject("driver");
        w.String("name", "TypedPyro exposure manifest");
        w.String("informationUri", "https://github.com/typedpyro/typedpyro/blob/main/docs/exposure-manifest.md");
        w.StartArray("rules");
        foreach (var rule in Rules)
        {
            w.StartObject();
            w.String("id", rule.Id);
            w.String("name", rule.Name);
            w.StartObject("shortDescription").String("text", rule.Description).EndObject();
            w.StartObject("defaultConfiguration").String("level", rule.Level).EndObject();
            w.EndObject();
        }
        w.EndArray();
        w.EndObject().EndObject();

        if (input.Settings.ProjectDir is { Length: > 0 } projectDir)
        {
            w.StartObject("originalUriBaseIds").StartObject("PROJECTDIR");
            w.String("uri", "file://" + projectDir.Replace('\\', '/') + (projectDir.EndsWith("/", System.StringComparison.Ordinal) || projectDir.EndsWith("\\", System.StringComparison.Ordinal) ? "" : "/"));
            w.EndObject().EndObject();
        }

        w.StartArray("results");
        foreach (var (contract, _) in input.Contracts)
        {
            string type = ExposureInput.Plain(contract.InterfaceType);
            foreach (var method in ExposureInput.Methods(contract))
            {
                var rule = method.IsOneway ? OnewayMethod : Method;
                Logical(w, rule, ExposureInput.FullName(method),
                    "'" + method.WireName + "' (" + ExposureInput.FullName(method) + ") is callable remotely" + (method.IsOneway ? " as oneway" : "")
                    + " on every object serving " + type + ".");
            }
            foreach (var attribute in ExposureInput.Attributes(contract))
            {
                var rule = attribute.HasSetter ? WritableAttribute : Attribute;
                Logical(w, rule, ExposureInput.FullName(attribute),
                    "Attribute '" + attribute.WireName + "' (" + ExposureInput.FullName(attribute) + ") can be "
                    + (attribute.HasGetter && attribute.HasSetter ? "read and set" : attribute.HasSetter ? "set" : "read") + " remotely on every object serving " + type + ".");
            }
        }
        foreach (var registration in input.Registrations) RegistrationResult(w, input, registration);
        Logical(w, DaemonObject, ExposureInput.DaemonObjectId,
            "Every daemon serves '" + ExposureInput.DaemonObjectId + "' with " + string.Join(", ", ExposureInput.DaemonObjectMethods) + ".");
        w.EndArray();

        w.EndObject();
        w.EndArray();
        w.EndObject();
        return w.ToString();
    }

    private static void RegistrationResult(JsonWriter w, ExposureInput input, RegistrationModel registration)
    {
        string id = registration.ObjectIdKind switch
        {
            "constant" => "'" + registration.ObjectId + "'",
            "generated" => "with a generated id",
            _ => "with a computed id",
        };
        Rule rule;
        string message;
        switch (ManifestJson.Serves(input, registration))
        {
            case "contract":
                var contract = input.ContractOf(registration)!;
                rule = Registration;
                message = registration.Call + " serves the object " + id + " through " + ExposureInput.Plain(contract.InterfaceType) + ": "
                    + Count(ExposureInput.Methods(contract), "method") + ", " + Count(ExposureInput.Attributes(contract), "attribute") + ".";
                break;
            case "unknown":
                rule = OpaqueRegistration;
                message = registration.Call + " serves the object " + id + " through a hand-made dispatcher: its methods are not known at build time.";
                break;
            default:
                rule = FailingRegistration;
                message = registration.Call + " of " + ExposureInput.Plain(registration.ContractType!) + " (object " + id + "): it has no generated dispatcher, so the call throws when it runs.";
                break;
        }
        w.StartObject();
        w.String("ruleId", rule.Id);
        w.String("level", rule.Level);
        w.StartObject("message").String("text", message).EndObject();
        w.StartArray("locations").StartObject();
        w.StartObject("physicalLocation");
        w.StartObject("artifactLocation");
        string path = input.RelativePath(registration.File);
        bool absolute = path.StartsWith("/", System.StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':');
        w.String("uri", absolute ? "file://" + (path.StartsWith("/", System.StringComparison.Ordinal) ? "" : "/") + path : path);
        if (!absolute && input.Settings.ProjectDir is { Length: > 0 }) w.String("uriBaseId", "PROJECTDIR");
        w.EndObject();
        w.StartObject("region").Number("startLine", registration.Line).EndObject();
        w.EndObject();
        w.EndObject().EndArray();
        w.EndObject();
    }

    private static void Logical(JsonWriter w, Rule rule, string fullName, string message)
    {
        w.StartObject();
        w.String("ruleId", rule.Id);
        w.String("level", rule.Level);
        w.StartObject("message").String("text", message).EndObject();
        w.StartArray("locations").StartObject();
        w.StartArray("logicalLocations").StartObject();
        w.String("fullyQualifiedName", fullName);
        w.String("kind", "member");
        w.EndObject().EndArray();
        w.EndObject().EndArray();
        w.EndObject();
    }

    private static string Count(IEnumerable<MemberModel> members, string noun)
    {
        int n = 0;
        foreach (var _ in members) n++;
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
