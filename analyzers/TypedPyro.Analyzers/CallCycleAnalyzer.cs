using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TypedPyro.Analyzers;

/// <summary>
/// TPY4001: circular remote call graphs. An edge A -&gt; B is a call (or property access) on an expression whose
/// static type is contract B, made by code of a type that implements contract A (callbacks received as parameters
/// included). Edges are collected concurrently during the compilation; cycles whose every link has at least one
/// call to a non-[Oneway] member are reported at compilation end, one diagnostic per elementary cycle.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CallCycleAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// Diagnostic property: the links that could be made oneway, separated by ';'; each link is the '|'-separated
    /// documentation ids of the non-oneway methods it calls (all void/Task/ValueTask and declared in source).
    /// </summary>
    public const string OnewayCandidatesProperty = "OnewayCandidates";

    private const int MaxCycles = 64;
    private const int MaxCycleLength = 16;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CircularCalls);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var graph = new CallGraph();
            start.RegisterOperationAction(graph.AnalyzeMemberUse, OperationKind.Invocation, OperationKind.PropertyReference);
            start.RegisterCompilationEndAction(graph.Report);
        });
    }

    private sealed class CallSite
    {
        public CallSite(Location location, ISymbol member, bool oneway)
        {
            Location = location;
            Member = member;
            Oneway = oneway;
        }

        public Location Location { get; }
        public ISymbol Member { get; }
        public bool Oneway { get; }
    }

    private sealed class CallGraph
    {
        private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _isContract = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableHashSet<ISymbol>> _remoteMembers = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> _servedContracts = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<INamedTypeSymbol, ConcurrentDictionary<INamedTypeSymbol, ConcurrentQueue<CallSite>>> _edges = new(SymbolEqualityComparer.Default);

        private bool IsContract(INamedTypeSymbol type) => _isContract.GetOrAdd(type, static t => PyroModel.IsContract(t));

        public void AnalyzeMemberUse(OperationAnalysisContext context)
        {
            IOperation? instance;
            ISymbol member;
            switch (context.Operation)
            {
                case IInvocationOperation invocation:
                    instance = invocation.Instance;
                    member = invocation.TargetMethod;
                    break;
                case IPropertyReferenceOperation property:
                    instance = property.Instance;
                    member = property.Property;
                    break;
                default:
                    return;
            }
            if (instance is null) return;
            var receiver = instance;
            while (receiver is IConversionOperation conversion) receiver = conversion.Operand;
            if (receiver is IInstanceReferenceOperation) return; // a local call on this object, not through a proxy

            if (instance.Type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } callee || !IsContract(callee)) return;
            var remote = _remoteMembers.GetOrAdd(callee, static c => PyroModel.RemoteMembers(c).Select(m => m.OriginalDefinition).ToImmutableHashSet<ISymbol>(SymbolEqualityComparer.Default));
            if (!remote.Contains(member.OriginalDefinition)) return;

            var containing = context.ContainingSymbol as INamedTypeSymbol ?? context.ContainingSymbol.ContainingType;
            if (containing is null || containing.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return;
            var served = _servedContracts.GetOrAdd(containing, c => c.AllInterfaces.Where(IsContract).ToImmutableArray());
            if (served.IsEmpty) return;

            bool oneway = member is IMethodSymbol method && PyroModel.HasAttribute(method, PyroModel.OnewayAttribute);
            var site = new CallSite(context.Operation.Syntax.GetLocation(), member, oneway);
            foreach (var caller in served)
            {
                var targets = _edges.GetOrAdd(caller, static _ => new ConcurrentDictionary<INamedTypeSymbol, ConcurrentQueue<CallSite>>(SymbolEqualityComparer.Default));
                targets.GetOrAdd(callee, static _ => new ConcurrentQueue<CallSite>()).Enqueue(site);
            }
        }

        public void Report(CompilationAnalysisContext context)
        {
            if (_edges.IsEmpty) return;
            // Blocking links only: a link is oneway when every call making it is to a [Oneway] method.
            var nodes = new SortedDictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
            var links = new Dictionary<(string From, string To), List<CallSite>>();
            foreach (var from in _edges)
            {
                foreach (var to in from.Value)
                {
                    var sites = to.Value.ToList();
                    if (sites.All(s => s.Oneway)) continue;
                    sites.Sort(CompareSites);
                    string a = Key(from.Key), b = Key(to.Key);
                    nodes[a] = from.Key;
                    nodes[b] = to.Key;
                    links[(a, b)] = sites;
                }
            }
            if (links.Count == 0) return;

            var order = nodes.Keys.ToList();
            var index = order.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
            var successors = order.Select(_ => new List<int>()).ToList();
            foreach (var link in links.Keys) successors[index[link.From]].Add(index[link.To]);
            foreach (var list in successors) list.Sort();

            var cycles = new List<List<int>>();
            var path = new List<int>();
            var onPath = new bool[order.Count];
            for (int start = 0; start < order.Count && cycles.Count < MaxCycles; start++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                path.Add(start);
                onPath[start] = true;
                FindCycles(start, start, successors, path, onPath, cycles);
                onPath[start] = false;
                path.Clear();
            }

            foreach (var cycle in cycles)
            {
                var cycleLinks = new List<List<CallSite>>();
                var name = new StringBuilder();
                for (int i = 0; i < cycle.Count; i++)
                {
                    string from = order[cycle[i]], to = order[cycle[(i + 1) % cycle.Count]];
                    cycleLinks.Add(links[(from, to)]);
                    name.Append(nodes[from].Name).Append(" -> ");
                }
                name.Append(nodes[order[cycle[0]]].Name);

                var primary = cycleLinks[0][0].Location;
                var additional = cycleLinks.Skip(1).Select(l => l[0].Location).Where(l => l != primary).Distinct().ToList();
                var properties = ImmutableDictionary<string, string?>.Empty.Add(OnewayCandidatesProperty, Candidates(cycleLinks));
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CircularCalls, primary, additional, properties, name.ToString()));
            }
        }

        private static void FindCycles(int start, int node, List<List<int>> successors, List<int> path, bool[] onPath, List<List<int>> cycles)
        {
            foreach (int next in successors[node])
            {
                if (cycles.Count >= MaxCycles) return;
                if (next == start)
                {
                    cycles.Add(new List<int>(path));
                    continue;
                }
                // Each cycle is found once: from its smallest node, through larger ones only.
                if (next < start || onPath[next] || path.Count >= MaxCycleLength) continue;
                path.Add(next);
                onPath[next] = true;
                FindCycles(start, next, successors, path, onPath, cycles);
                onPath[next] = false;
                path.RemoveAt(path.Count - 1);
            }
        }

        private static string Candidates(List<List<CallSite>> cycleLinks)
        {
            var groups = new List<string>();
            foreach (var sites in cycleLinks)
            {
                var members = sites.Where(s => !s.Oneway).Select(s => s.Member.OriginalDefinition).Distinct(SymbolEqualityComparer.Default).ToList();
                if (members.Count == 0 || !members.All(m => m is IMethodSymbol method && PyroModel.IsNoResult(method.ReturnType) && method.Locations.Any(l => l.IsInSource)))
                    continue;
                var ids = members.Select(m => DocumentationCommentId.CreateDeclarationId(m!)).Where(id => id is not null).ToList();
                if (ids.Count == members.Count) groups.Add(string.Join("|", ids));
            }
            return string.Join(";", groups.Distinct(StringComparer.Ordinal));
        }

        private static string Key(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        /// <summary>Blocking calls first (they make the link), then by file and position.</summary>
        private static int CompareSites(CallSite x, CallSite y)
        {
            if (x.Oneway != y.Oneway) return x.Oneway ? 1 : -1;
            int c = string.CompareOrdinal(x.Location.SourceTree?.FilePath, y.Location.SourceTree?.FilePath);
            return c != 0 ? c : x.Location.SourceSpan.Start.CompareTo(y.Location.SourceSpan.Start);
        }
    }
}
