using System.Globalization;
using PatternQuality.Experiments;
using PatternQuality.Tests.TestUtils;
using Xunit.Abstractions;

namespace PatternQuality.Tests.Experiments;

/// <summary>
/// Open Bandit Dataset sample: ZOZOTOWN ran a uniform random policy and Bernoulli Thompson Sampling (BTS) side by side.
/// From the random policy's log alone, estimate BTS's click rate, and check it against BTS's own on-policy click rate.
/// </summary>
public class OffPolicyEvaluationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("men")]
    [InlineData("women")]
    public void RandomLog_EstimatesBtsClickRate_WithinBtsOnPolicyInterval(string campaign)
    {
        var random = Read(SharedData.Path("open-bandit-sample", "random", campaign, campaign + ".csv"));
        var bts = Read(SharedData.Path("open-bandit-sample", "bts", campaign, campaign + ".csv"));
        var actions = Math.Max(random.Max(d => d.Action), bts.Max(d => d.Action)) + 1;

        // BTS does not look at the user: its policy is the share of each item at each position in its own log.
        var policy = new double[3, actions];
        foreach (var g in bts.GroupBy(d => d.Context))
        {
            foreach (var d in g)
            {
                policy[g.Key, d.Action] += 1.0 / g.Count();
            }
        }

        double Target(int position, int item) => policy[position, item];
        var ips = OffPolicyEvaluation.InversePropensity(random, Target);
        var snips = OffPolicyEvaluation.InversePropensity(random, Target, selfNormalized: true);

        // Doubly robust, cross-fitted: each half of the log is corrected with a reward model fitted on the other half.
        var halves = new[] { random.Where((_, i) => i % 2 == 0).ToList(), random.Where((_, i) => i % 2 == 1).ToList() };
        var dr = halves.Select((half, k) => OffPolicyEvaluation.DoublyRobust(half, Target, RewardModel(halves[1 - k], actions), actions)).ToList();
        var drValue = dr.Average(e => e.Value);

        var ctr = bts.Average(d => d.Reward);
        var se = Math.Sqrt(ctr * (1 - ctr) / bts.Count);
        double lower = ctr - (1.959964 * se), upper = ctr + (1.959964 * se);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{campaign}: random CTR {random.Average(d => d.Reward):F5}; BTS on-policy {ctr:F5} [{lower:F5}, {upper:F5}]; IPS {ips.Value:F5} ± {1.96 * ips.StandardError:F5} (ESS {ips.EffectiveSampleSize:F0}); SNIPS {snips.Value:F5}; DR {drValue:F5}"));
        Assert.InRange(ips.Value, lower, upper);
        Assert.InRange(snips.Value, lower, upper);
        Assert.InRange(drValue, lower, upper);
    }

    [Fact]
    public void BadInput_ThrowsClearly()
    {
        LoggedDecision[] log = [new(0, 0, 0.5, 1), new(0, 1, 0.5, 0)];
        Assert.Throws<ArgumentException>(() => OffPolicyEvaluation.InversePropensity([new(0, 0, 0.5, 1)], (_, _) => 1));
        Assert.Throws<ArgumentException>(() => OffPolicyEvaluation.InversePropensity([new(0, 0, 0, 1), new(0, 0, 0.5, 1)], (_, _) => 1));
        Assert.Throws<ArgumentException>(() => OffPolicyEvaluation.InversePropensity(log, (_, _) => 2));
        Assert.Throws<ArgumentException>(() => OffPolicyEvaluation.InversePropensity(log, (_, _) => 0, selfNormalized: true));
        Assert.Throws<ArgumentException>(() => OffPolicyEvaluation.DoublyRobust(log, (_, _) => 0.5, (_, _) => 0, 1));

        // The logging policy evaluated on itself: IPS = the on-policy mean.
        Assert.Equal(0.5, OffPolicyEvaluation.InversePropensity(log, (_, _) => 0.5).Value, 12);
    }

    private static Func<int, int, double> RewardModel(List<LoggedDecision> fit, int actions)
    {
        // Click rate of each item at each position, shrunk toward the position's rate with a prior worth 10 impressions.
        var model = new double[3, actions];
        foreach (var g in fit.GroupBy(d => d.Context))
        {
            var mean = g.Average(d => d.Reward);
            for (var a = 0; a < actions; a++)
            {
                model[g.Key, a] = mean;
            }

            foreach (var item in g.GroupBy(d => d.Action))
            {
                model[g.Key, item.Key] = (item.Sum(d => d.Reward) + (10 * mean)) / (item.Count() + 10);
            }
        }

        return (position, item) => model[position, item];
    }

    private static List<LoggedDecision> Read(string path)
    {
        // The files' first header cell is empty (a pandas index), so read them as plain comma-separated text.
        var lines = File.ReadLines(path).ToList();
        var header = lines[0].Split(',');
        int item = Array.IndexOf(header, "item_id"), position = Array.IndexOf(header, "position"), click = Array.IndexOf(header, "click"), propensity = Array.IndexOf(header, "propensity_score");
        var list = new List<LoggedDecision>(lines.Count);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var row = line.Split(',');
            list.Add(new LoggedDecision(
                int.Parse(row[position], CultureInfo.InvariantCulture) - 1,
                int.Parse(row[item], CultureInfo.InvariantCulture),
                double.Parse(row[propensity], CultureInfo.InvariantCulture),
                double.Parse(row[click], CultureInfo.InvariantCulture)));
        }

        return list;
    }
}
