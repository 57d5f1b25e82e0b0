using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedPyro.Generators.Emitting;
using TypedPyro.Generators.Exposure;
using TypedPyro.Generators.Model;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators;

/// <summary>
/// Generates, for every <c>[Expose]</c> interface (or interface with <c>[Expose]</c> members), a proxy, a dispatcher and
/// their registration; for every <c>[PyroDto]</c> partial type its wire form and reader; and, when the project asks
/// for it, the exposure manifest (<see cref="ExposurePipeline"/>).
/// </summary>
/// <remarks>
/// Each step turns symbols into plain equatable models at once (<see cref="ContractModel"/>, <see cref="DtoModel"/>),
/// so unchanged contracts are not emitted again. Bad input is skipped silently with a comment in the generated code;
/// the analyzers report it.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ContractGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaceContracts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Symbols.ExposeAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? ContractParser.Parse(type, ct) : null)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.InterfaceContracts);

        var memberContracts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Symbols.ExposeAttribute,
                static (node, _) => node is MethodDeclarationSyntax or PropertyDeclarationSyntax && node.Parent is InterfaceDeclarationSyntax,
                static (ctx, ct) => FromMember(ctx.TargetSymbol, ct))
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.MemberContracts);

        // One contract per interface, however many declarations or members carry the attribute (a duplicate hint name
        // would fail the whole generator). Each contract is still compared, and emitted, on its own.
        var contracts = interfaceContracts.Collect()
            .Combine(memberContracts.Collect())
            .SelectMany(static (pair, _) => Distinct(pair.Left.AddRange(pair.Right), static c => c.HintName))
            .WithTrackingName(TrackingNames.Contracts);

        var dtos = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Symbols.PyroDtoAttribute,
                static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? DtoParser.Parse(type, ct) : null)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.Dtos)
            .Collect()
            .SelectMany(static (models, _) => Distinct(models, static d => d.HintName))
            .WithTrackingName(TrackingNames.DistinctDtos);

        context.RegisterSourceOutput(contracts, static (spc, model) => Emit(spc, model));
        context.RegisterSourceOutput(dtos, static (spc, model) => spc.AddSource(model.HintName + ".PyroDto.g.cs", DtoEmitter.Emit(model)));
        ExposurePipeline.Register(context, contracts, dtos);
    }

    private static ContractModel? FromMember(ISymbol member, CancellationToken cancellationToken)
    {
        // An [Expose] interface is a contract of its own; here only partly exposed interfaces are found.
        if (member.ContainingType is not { TypeKind: TypeKind.Interface } contract || Symbols.Has(contract, Symbols.ExposeAttribute)) return null;
        return ContractParser.Parse(contract, cancellationToken);
    }

    private static ImmutableArray<T> Distinct<T>(ImmutableArray<T?> models, System.Func<T, string> key)
        where T : class
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<T>();
        foreach (var model in models)
        {
            if (model is not null && seen.Add(key(model))) result.Add(model);
        }
        return result.ToImmutable();
    }

    private static void Emit(SourceProductionContext context, ContractModel model)
    {
        context.AddSource(model.HintName + ".PyroProxy.g.cs", ProxyEmitter.Emit(model));
        if (model.SkipReason is not null) return;
        context.AddSource(model.HintName + ".PyroDispatcher.g.cs", DispatcherEmitter.Emit(model));
        context.AddSource(model.HintName + ".PyroRegistration.g.cs", RegistrationEmitter.Emit(model));
    }
}
