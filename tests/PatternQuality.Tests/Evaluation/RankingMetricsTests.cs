using PatternQuality.Evaluation;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Evaluation;

public class RankingMetricsTests
{
    [Fact]
    public void Ndcg_GoldenRankTest_MatchesScikitLearnAndLightGbmConventions()
    {
        var n = Load("multiclass_ranking.json").GetProperty("ndcg");
        var y = Floats(n.GetProperty("labels"));
        var bounds = n.GetProperty("query_boundaries").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        foreach (var c in n.GetProperty("cases").EnumerateArray())
        {
            var scoresName = c.GetProperty("scores_name").GetString()!;
            var s = Floats(n.GetProperty("scores").GetProperty(scoresName));
            int? k = c.GetProperty("k").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("k").GetInt32();

            Near(c.GetProperty("linear").GetDouble(), RankingMetrics.Ndcg(y, s, bounds, k, NdcgGain.Linear), 1e-9, $"{scoresName} linear @{k}");
            Near(c.GetProperty("exponential").GetDouble(), RankingMetrics.Ndcg(y, s, bounds, k, NdcgGain.Exponential), 1e-9, $"{scoresName} exponential @{k}");
        }
    }

    [Fact]
    public void Ndcg_QueryWithoutRelevantDocuments_CountsOneForExponentialAndZeroForLinear()
    {
        Assert.Equal(1.0, RankingMetrics.Ndcg([0, 0], [0.1f, 0.2f], [0, 2], null, NdcgGain.Exponential));
        Assert.Equal(0.0, RankingMetrics.Ndcg([0, 0], [0.1f, 0.2f], [0, 2], null, NdcgGain.Linear));
    }

    [Fact]
    public void Ndcg_TiedScores_LinearAveragesGains()
    {
        // Both documents tie: each position gets gain 0.5, so DCG = 0.5 * (1 + 1/log2(3)); ideal = 1.
        var expected = 0.5 * (1 + (1 / Math.Log2(3)));
        Assert.Equal(expected, RankingMetrics.Ndcg([0, 1], [0.5f, 0.5f], [0, 2], null, NdcgGain.Linear), 12);
    }

    [Fact]
    public void Ndcg_BadBoundaries_Throws()
    {
        Assert.Throws<ArgumentException>(() => RankingMetrics.Ndcg([0, 1], [0.5f, 0.5f], [0, 1]));
    }

    [Fact]
    public void Ndcg_KZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Ndcg([0, 1], [0.5f, 0.5f], [0, 2], 0));
    }
}

public class RankingMapMrrTests
{
    [Fact]
    public void MapAndMrr_GoldenRankTest_MatchScikitLearn()
    {
        var n = Load("multiclass_ranking.json").GetProperty("ndcg");
        var y = Floats(n.GetProperty("labels"));
        var bounds = n.GetProperty("query_boundaries").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var cases = Load("ranking_map_mrr.json").GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(6, cases.Count);
        foreach (var c in cases)
        {
            var name = c.GetProperty("scores_name").GetString()!;
            var s = Floats(n.GetProperty("scores").GetProperty(name));
            var t = c.GetProperty("threshold").GetInt32();
            Near(c.GetProperty("map").GetDouble(), RankingMetrics.MeanAveragePrecision(y, s, bounds, t), 1e-9, $"{name} MAP >= {t}");
            Near(c.GetProperty("mrr").GetDouble(), RankingMetrics.MeanReciprocalRank(y, s, bounds, t), 1e-9, $"{name} MRR >= {t}");
        }
    }

    [Fact]
    public void MapAndMrr_NoRelevantDocument_AreNaN_AndBadThresholdThrows()
    {
        Assert.True(double.IsNaN(RankingMetrics.MeanAveragePrecision([0, 0], [1, 2], [0, 2])));
        Assert.True(double.IsNaN(RankingMetrics.MeanReciprocalRank([0, 0], [1, 2], [0, 2])));
        Assert.Equal(0.5, RankingMetrics.MeanReciprocalRank([1, 0], [1, 2], [0, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.MeanReciprocalRank([1, 0], [1, 2], [0, 2], 0));
        Assert.Throws<ArgumentException>(() => RankingMetrics.MeanAveragePrecision([1, 0], [1, float.NaN], [0, 2]));
    }
}
