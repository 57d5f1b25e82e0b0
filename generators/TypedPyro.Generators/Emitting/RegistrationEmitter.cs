using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Emitting;

/// <summary>
/// Emits the module initializer that links a contract to its proxy and dispatcher
/// (<c>PyroContracts.Register</c>): discovery without reflection scanning, safe under trimming and NativeAOT.
/// </summary>
internal static class RegistrationEmitter
{
    public static string Emit(ContractModel contract)
    {
        var w = new SourceWriter();
        FileHeader.Write(w, "#pragma warning disable CA2255 // module initializers are meant for generated registrations like this one");
        FileHeader.OpenNamespace(w, contract.Namespace);
        string prefix = (contract.Namespace is null ? "global::" : "global::" + contract.Namespace + ".") + contract.ClassPrefix;
        w.Line("/// <summary>Registers the generated proxy and dispatcher of <c>" + ProxyEmitter.Xml(contract.InterfaceName) + "</c> when the module loads.</summary>");
        w.Line(FileHeader.GeneratedCode);
        w.Open("internal static class " + contract.ClassPrefix + "PyroRegistration");
        w.Line("/// <summary>Called by the runtime when the module loads.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Open("internal static void Register()");
        w.Line("global::TypedPyro.PyroContracts.Register<" + contract.InterfaceType + ">(");
        w.Line("    static connection => new " + prefix + "PyroProxy(connection),");
        w.Line("    static implementation => new " + prefix + "PyroDispatcher(implementation));");
        w.Close();
        w.Close();
        FileHeader.CloseNamespace(w, contract.Namespace);
        return w.ToString();
    }
}
