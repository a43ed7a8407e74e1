using System.Text.Json;
using PatternQuality.Experiments;
using PatternQuality.Scoring;
using PatternQuality.Tests.Cli;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Experiments;

public class ExperimentRankerTests
{
    private static readonly Experiment _experiment = new() { Id = "e", Variants = [new("rules"), new("model")] };

    private static (ExperimentRanker<int> Ranker, ExperimentTracker Tracker, ExperimentAssigner Assigner) Create(IVariantRanker<int> model, TimeSpan timeout)
    {
        var assigner = new ExperimentAssigner([_experiment]);
        var tracker = new ExperimentTracker(_experiment);
        var rules = new RuleVariantRanker<int>(x => -x); // smallest first
        var ranker = new ExperimentRanker<int>(assigner, tracker, new Dictionary<string, IVariantRanker<int>> { ["rules"] = rules, ["model"] = model }, timeout);
        return (ranker, tracker, assigner);
    }

    private static string UnitIn(ExperimentAssigner assigner, string variant)
        => Enumerable.Range(0, 1000).Select(i => "u" + i).First(u => assigner.Assign("e", u).Variant == variant);

    [Fact]
    public async Task ModelThatThrows_FallsBackToRules_AndIsCounted()
    {
        var (ranker, tracker, assigner) = Create(new Throwing(), Timeout.InfiniteTimeSpan);
        var result = await ranker.RankAsync(UnitIn(assigner, "model"), [5, 1, 3], 2);
        Assert.True(result.FellBack);
        Assert.Equal("rules", result.ServedVariant);
        Assert.Equal([1, 3], result.Ranked.Select(r => r.Pattern));
        Assert.Equal(1, tracker.Snapshot().Single(m => m.Variant == "model").Fallbacks);
    }

    [Fact]
    public async Task ModelThatTimesOut_FallsBackWithinTheBudget()
    {
        var (ranker, tracker, assigner) = Create(new Slow(), TimeSpan.FromMilliseconds(50));
        var result = await ranker.RankAsync(UnitIn(assigner, "model"), [5, 1, 3], 3);
        Assert.True(result.FellBack);
        Assert.Equal(1, tracker.Snapshot().Single(m => m.Variant == "model").Fallbacks);
    }

    [Fact]
    public async Task HealthyModel_RanksAndRecordsImpressionsPerPosition()
    {
        var (ranker, tracker, assigner) = Create(new RuleVariantRanker<int>(x => x), TimeSpan.FromSeconds(30));
        var unit = UnitIn(assigner, "model");
        var result = await ranker.RankAsync(unit, [5, 1, 3], 2);
        Assert.False(result.FellBack);
        Assert.Equal([5, 3], result.Ranked.Select(r => r.Pattern));
        tracker.RecordOutcome(result.Assignment, unit, accepted: true, position: 1, timeToAction: TimeSpan.FromSeconds(12));
        var m = tracker.Snapshot().Single(v => v.Variant == "model");
        Assert.Equal((1L, 1L, 2L, 1L), (m.Units, m.ConvertedUnits, m.Impressions, m.Accepted));
        Assert.Equal(1.0, m.ClickThroughRateAtPosition[1]);
        Assert.Equal(0.0, m.ClickThroughRateAtPosition[2]);
        Assert.Equal(12.0, m.MeanTimeToActionSeconds);
        var control = await ranker.RankAsync(UnitIn(assigner, "rules"), [5, 1, 3], 1);
        Assert.Equal([1], control.Ranked.Select(r => r.Pattern));
    }

    [Fact]
    public void Constructor_MissingVariantRanker_Throws()
    {
        var assigner = new ExperimentAssigner([_experiment]);
        Assert.Throws<ArgumentException>(() => new ExperimentRanker<int>(
            assigner, new ExperimentTracker(_experiment), new Dictionary<string, IVariantRanker<int>> { ["rules"] = new RuleVariantRanker<int>(x => x) }, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void PqExperimentReport_Json_HasPerVariantMetricsTestsAndSrm()
    {
        // Five days of a 2-arm log: the model converts 30% of users, the rules 20%.
        var lines = new List<string> { "unit,variant,day,position,accepted,clicked,seconds" };
        var random = new Random(4);
        for (var day = 1; day <= 5; day++)
        {
            for (var i = 0; i < 400; i++)
            {
                var variant = i % 2 == 0 ? "rules" : "model";
                var accepted = random.NextDouble() < (variant == "model" ? 0.3 : 0.2);
                lines.Add($"d{day}-u{i},{variant},{day},{1 + (i % 3)},{(accepted ? 1 : 0)},{(accepted ? 1 : 0)},{(accepted ? "30" : string.Empty)}");
            }
        }

        using var log = new TempFile(string.Join('\n', lines) + "\n");
        var (code, stdout, stderr) = CliRunner.Run("experiment", "report", "--experiment", "e", "--variants", "rules=1,model=1", "--log", log.Path, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(5, root.GetProperty("peeks").GetInt32());
        var model = root.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("variant").GetString() == "model");
        Assert.Equal(1000, model.GetProperty("units").GetInt64());
        Assert.InRange(model.GetProperty("acceptance_rate").GetDouble(), 0.25, 0.35);
        Assert.Equal(30.0, model.GetProperty("median_time_to_action_seconds").GetDouble());
        Assert.Equal(3, model.GetProperty("ctr_at_position").EnumerateObject().Count());
        var comparison = root.GetProperty("comparisons")[0];
        Assert.True(comparison.GetProperty("z_test").GetProperty("significant").GetBoolean());
        Assert.True(comparison.GetProperty("sequential").GetProperty("significant").GetBoolean());
        Assert.False(root.GetProperty("sample_ratio").GetProperty("mismatch").GetBoolean());

        var bad = CliRunner.Run("experiment", "report", "--experiment", "e", "--variants", "rules=1,other=1", "--log", log.Path, "--json");
        Assert.Equal(1, bad.Code);
        Assert.Contains("not a variant", bad.Err);
    }

    private sealed class Throwing : IVariantRanker<int>
    {
        public IReadOnlyList<ScoredPattern<int>> Rank(IReadOnlyList<int> candidates, int top, CancellationToken cancellationToken)
            => throw new InvalidOperationException("model file corrupt");
    }

    private sealed class Slow : IVariantRanker<int>
    {
        public IReadOnlyList<ScoredPattern<int>> Rank(IReadOnlyList<int> candidates, int top, CancellationToken cancellationToken)
        {
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
            return [];
        }
    }
}
