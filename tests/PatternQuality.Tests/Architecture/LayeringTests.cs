using System.Text.RegularExpressions;

namespace PatternQuality.Tests.Architecture;

/// <summary>
/// The folders of src/PatternQuality form layers (README, "Architecture"): a folder may use its own layer and the
/// layers below, never above, the dependency graph between folders has no cycle, and no folder reaches into another
/// folder's <c>Internal/</c> (the root <c>Internal/</c> holds helpers shared by all and depends on nothing).
/// </summary>
/// <remarks>
/// Read from the source rather than the compiled assembly so that <c>cref</c>s count too: a doc comment that links
/// upward pulls the namespace in just as code does. A reference is a <c>using PatternQuality.X</c> directive, a fully
/// qualified <c>PatternQuality.X.Type</c>, or a partially qualified <c>X.Type</c> where Type is declared in folder X.
/// </remarks>
public partial class LayeringTests
{
    /// <summary>Bottom-up; the README's architecture section shows the same table.</summary>
    internal static readonly string[][] Layers =
    [
        ["(root)", "Internal", "Telemetry"],      // exceptions, PatternQualityOptions, shared parsing helpers, logging and metrics
        ["Data", "Serialization"],                // Dataset, FeatureSchema, CSV/SVMlight reading; the model file container
        ["Feedback"],                             // feedback records and sources
        ["Features"],                             // feature extractors, history state, CSV featurisation
        ["Learning", "Trees", "Evaluation", "Validation", "Calibration"], // learner contracts, trees, metrics, splits, calibrators
        ["Scoring", "Storage", "Versioning", "Interop"], // the runtime model, its store and its versions; import/export of other formats
        ["Training", "Online", "ActiveLearning", "Scheduling", "Experiments"], // batch training, incremental learning, query strategies, best times, A/B experiments and off-policy evaluation
        ["DependencyInjection"],                  // AddPatternQuality and the builder's Use* methods
    ];

    /// <summary>
    /// Known reaches into another folder's Internal/, each owned by an open item of issue 9; remove the entry with the fix.
    /// </summary>
    private static readonly HashSet<string> KnownInternalReaches =
    [
    ];

    [Fact]
    public void Folders_ReferenceOnlyTheirOwnOrLowerLayers()
    {
        var layerOf = LayerOf();
        var graph = Graph();
        var upward = graph.SelectMany(kv => kv.Value.Select(to => (From: kv.Key, To: to)))
            .Where(e => layerOf[e.To.Folder] > layerOf[e.From])
            .Select(e => $"{e.From} (layer {layerOf[e.From]}) -> {e.To.Folder} (layer {layerOf[e.To.Folder]}) in {e.To.File}")
            .Distinct()
            .ToArray();
        Assert.True(upward.Length == 0, "Upward references (move the type down, or change the layer table here and in README):\n  " + string.Join("\n  ", upward));
    }

    [Fact]
    public void Folders_HaveNoDependencyCycle()
    {
        var graph = Graph().ToDictionary(kv => kv.Key, kv => kv.Value.Select(r => r.Folder).Where(f => f != kv.Key).ToHashSet());
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal))).ToArray();
        Assert.True(cycles.Length == 0, "Namespace cycles:\n  " + string.Join("\n  ", cycles));
    }

    [Fact]
    public void Folders_DoNotReachIntoOtherFoldersInternals()
    {
        var reaches = Graph().SelectMany(kv => kv.Value.Where(r => r.Internal && r.Folder != kv.Key && r.Folder != "Internal")
                .Select(r => (Key: $"{kv.Key} -> {r.Folder}.Internal", r.File)))
            .Where(r => !KnownInternalReaches.Contains(r.Key))
            .Select(r => $"{r.Key} in {r.File}")
            .Distinct()
            .ToArray();
        Assert.True(reaches.Length == 0, "Reaches into another folder's Internal/:\n  " + string.Join("\n  ", reaches));
    }

    [Fact]
    public void LayerTable_NamesEveryFolder()
    {
        var known = LayerOf().Keys.ToHashSet();
        var folders = Directory.GetDirectories(SourceRoot()).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties")).ToArray();
        Assert.All(folders, f => Assert.Contains(f!, known));
        Assert.All(known.Where(f => f != "(root)"), f => Assert.Contains(f, folders));
    }

    [Fact]
    public void Analysis_SeesKnownEdges()
    {
        // Guards the parser itself: if these stop being found, the tests above would pass vacuously.
        var graph = Graph();
        Assert.Contains(graph["Training"], r => r.Folder == "Versioning");
        Assert.Contains(graph["Features"], r => r.Folder == "Data");
        Assert.Contains(graph["Trees"], r => r.Folder == "Trees" && r.Internal);
    }

    internal static Dictionary<string, int> LayerOf()
        => Layers.SelectMany((folders, layer) => folders.Select(f => (f, layer))).ToDictionary(x => x.f, x => x.layer);

    private static Dictionary<string, List<Reference>> Graph()
    {
        var root = SourceRoot();
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToArray();
        var folders = LayerOf().Keys.Where(f => f != "(root)").ToHashSet();

        // Types declared per folder, for partially qualified references such as Data.FeatureSchema.
        var typesOf = new Dictionary<string, HashSet<string>>();
        foreach (var file in files)
        {
            var folder = FolderOf(root, file);
            if (!typesOf.TryGetValue(folder, out var set))
            {
                typesOf[folder] = set = [];
            }

            foreach (Match m in TypeDeclaration().Matches(File.ReadAllText(file)))
            {
                set.Add(m.Groups[1].Value);
            }
        }

        var graph = new Dictionary<string, List<Reference>>();
        foreach (var file in files)
        {
            var folder = FolderOf(root, file);
            if (!graph.TryGetValue(folder, out var refs))
            {
                graph[folder] = refs = [];
            }

            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(root, file);
            foreach (Match m in QualifiedReference().Matches(text))
            {
                var target = m.Groups[1].Value;
                if (folders.Contains(target))
                {
                    refs.Add(new Reference(target, m.Groups[2].Success, relative));
                }
            }

            foreach (Match m in PartialReference().Matches(text))
            {
                var target = m.Groups[1].Value;
                var isInternal = m.Groups[2].Success;
                if (folders.Contains(target) && typesOf.TryGetValue(target, out var types) && types.Contains(m.Groups[3].Value))
                {
                    refs.Add(new Reference(target, isInternal, relative));
                }
            }
        }

        return graph;
    }

    private static string FolderOf(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        var slash = relative.IndexOfAny(['/', '\\']);
        return slash < 0 ? "(root)" : relative[..slash];
    }

    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        // Tarjan's algorithm; the graph has a dozen nodes, so recursion depth is no concern.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w2;
                do
                {
                    w2 = stack.Pop();
                    onStack.Remove(w2);
                    component.Add(w2);
                }
                while (w2 != v);
                result.Add(component);
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return result;
    }

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "PatternQuality");
            if (File.Exists(Path.Combine(candidate, "PatternQuality.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/PatternQuality not found above " + AppContext.BaseDirectory);
    }

    private sealed record Reference(string Folder, bool Internal, string File);

    [GeneratedRegex(@"(?<![\w.])PatternQuality\.([A-Z]\w*)(\.Internal)?\b")]
    private static partial Regex QualifiedReference();

    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)(\.Internal)?\.([A-Z]\w*)")]
    private static partial Regex PartialReference();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record|delegate\s+\S+)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();
}
