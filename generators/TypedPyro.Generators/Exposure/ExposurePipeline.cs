using System;
using Microsoft.CodeAnalysis;
using TypedPyro.Generators.Model;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Exposure;

/// <summary>
/// The exposure manifest's part of the generator: with <c>&lt;PyroExposureManifest&gt;true&lt;/PyroExposureManifest&gt;</c>
/// it gathers every contract, DTO and daemon registration of the compilation into one <c>PyroExposure.g.cs</c>
/// (see <see cref="ExposureEmitter"/>); without it, it emits nothing.
/// </summary>
internal static class ExposurePipeline
{
    /// <summary>The MSBuild property, made visible to the compiler by build/TypedPyro.props.</summary>
    public const string EnabledProperty = "build_property.PyroExposureManifest";

    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<ContractModel> contracts,
        IncrementalValuesProvider<DtoModel> dtos)
    {
        var settings = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) =>
            {
                bool enabled = options.GlobalOptions.TryGetValue(EnabledProperty, out var value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
                options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var projectDir);
                return (Enabled: enabled, ProjectDir: string.IsNullOrEmpty(projectDir) ? null : projectDir);
            })
            .Combine(context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName ?? ""))
            .Select(static (pair, _) => new ExposureSettings(pair.Left.Enabled, pair.Left.ProjectDir, pair.Right))
            .WithTrackingName(TrackingNames.ExposureSettings);

        var registrations = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => RegistrationParser.IsCandidate(node),
                static (ctx, ct) => RegistrationParser.Parse(ctx, ct))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Registrations);

        // Reduced to null when the property is off, so that contract edits leave this output cached (and empty).
        var manifest = settings
            .Combine(contracts.Collect())
            .Combine(dtos.Collect())
            .Combine(registrations.Collect())
            .Select(static (input, _) =>
            {
                var (((exposureSettings, contractModels), dtoModels), registrationModels) = input;
                return exposureSettings.Enabled
                    ? new ExposureSnapshot(exposureSettings, EquatableArray.From(contractModels), EquatableArray.From(dtoModels), EquatableArray.From(registrationModels))
                    : null;
            })
            .WithTrackingName(TrackingNames.Exposure);

        context.RegisterSourceOutput(manifest, static (spc, snapshot) =>
        {
            if (snapshot is null) return;
            spc.AddSource(ExposureEmitter.HintName, ExposureEmitter.Emit(new ExposureInput(snapshot)));
        });
    }
}
