using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace PatternQuality.Tests.PublicApi;

/// <summary>
/// Our stand-in for PublicApiAnalyzers (not in the registry here): the exported surface of the core package, as sorted
/// text, must equal the committed approved file, so every public API change is a deliberate, reviewed diff.
/// </summary>
/// <remarks>To accept a change, run the tests with PQ_UPDATE_PUBLIC_API=1 and commit the rewritten file.</remarks>
public class PublicApiTests
{
    private const string ApprovedFileName = "PatternQuality.approved.txt";

    [Fact]
    public void PublicApi_CoreAssembly_MatchesApprovedFile()
    {
        var actual = Render(typeof(PatternQualityException).Assembly);
        var approvedPath = Path.Combine(SourceDirectory(), ApprovedFileName);
        if (Environment.GetEnvironmentVariable("PQ_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        Assert.True(File.Exists(approvedPath), $"{approvedPath} is missing; run the tests with PQ_UPDATE_PUBLIC_API=1 to create it.");
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        var added = actual.Split('\n').Except(approved.Split('\n')).Where(l => l.Length > 0).ToArray();
        var removed = approved.Split('\n').Except(actual.Split('\n')).Where(l => l.Length > 0).ToArray();
        Assert.True(
            added.Length == 0 && removed.Length == 0,
            "The public API changed. Added:\n  " + string.Join("\n  ", added) + "\nRemoved:\n  " + string.Join("\n  ", removed)
            + "\nIf this is deliberate, run the tests with PQ_UPDATE_PUBLIC_API=1 and commit " + ApprovedFileName + ".");
    }

    [Fact]
    public void PublicTypes_Concrete_AreSealedUnlessOptionsOrDesignedForExtension()
    {
        var unsealed = typeof(PatternQualityException).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)
            .Where(t => !t.Name.EndsWith("Options", StringComparison.Ordinal) && !typeof(Exception).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToArray();
        Assert.True(unsealed.Length == 0, "Unsealed public classes: " + string.Join(", ", unsealed));
    }

    internal static string Render(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            lines.Add(Describe(type));
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                if (member is MethodInfo { IsSpecialName: true } || member is Type || member.IsDefined(typeof(CompilerGeneratedAttribute)))
                {
                    continue;
                }

                lines.Add(type.FullName + "::" + DescribeMember(member));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines) + "\n";
    }

    private static string Describe(Type t)
    {
        var kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(t.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
        return $"{t.FullName} {kind}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty);
    }

    private static string DescribeMember(MemberInfo m) => m switch
    {
        ConstructorInfo c => $"ctor({Parameters(c.GetParameters())})",
        MethodInfo mi => $"{(mi.IsStatic ? "static " : string.Empty)}{Name(mi.ReturnType)} {mi.Name}{(mi.IsGenericMethod ? "<" + string.Join(",", mi.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty)}({Parameters(mi.GetParameters())})",
        PropertyInfo p => $"{Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : string.Empty)}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? " init;" : " set;") : string.Empty)} }}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        _ => m.ToString() ?? m.Name,
    };

    private static string Parameters(ParameterInfo[] ps)
        => string.Join(", ", ps.Select(p => $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type t)
    {
        if (t.IsByRef)
        {
            return Name(t.GetElementType()!);
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }

        if (t.IsGenericParameter)
        {
            return t.Name;
        }

        if (!t.IsGenericType)
        {
            return t.FullName ?? t.Name;
        }

        var def = t.GetGenericTypeDefinition().FullName ?? t.Name;
        var tick = def.IndexOf('`', StringComparison.Ordinal);
        return (tick > 0 ? def[..tick] : def) + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
    }

    private static string SourceDirectory()
    {
        // Walk up from the test binaries to the repository root (CallerFilePath is path-mapped in CI builds).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PatternQuality.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "PatternQuality.Tests", "PublicApi");
            }
        }

        throw new DirectoryNotFoundException("The repository root (PatternQuality.sln) was not found above " + AppContext.BaseDirectory);
    }
}
