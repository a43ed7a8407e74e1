using Microsoft.Extensions.Options;
using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

public class ReplaySimulationTests
{
    [Fact]
    public void Run_BankMarketingInDateOrder_ScoresEveryStreamedRowForThreeContendersAndReportsProgress()
    {
        // The last 40% of the campaign, in date order: the rows after the initial 70% are streamed.
        var all = BankMarketing.All;
        var data = all.Select(Enumerable.Range(all.RowCount - 8_000, 8_000).ToArray());
        var reports = new List<double>();

        var result = ReplaySimulation.Run(
            data,
            new ReplaySimulationOptions { BatchSize = 500, RetrainEvery = 1_000 },
            new SynchronousProgress(reports.Add));

        Assert.Equal(5_600, result.InitialRows);
        Assert.Equal(2_400, result.StreamedRows);
        Assert.Equal(5, result.Batches);
        Assert.Equal(5, reports.Count);
        Assert.Equal(1.0, reports[^1], 9);
        Assert.True(reports.SequenceEqual(reports.Order()));
        foreach (var m in new[] { result.Static, result.Incremental, result.Retrain })
        {
            // Bank marketing without call duration: informative but far from separable (AUC ~0.7-0.8 in docs/).
            Assert.InRange(m.Auc, 0.6, 0.95);
            Assert.True(m.LogLoss > 0 && double.IsFinite(m.LogLoss), result.ToString());
        }

        // The end of the campaign approves far more often than its start: learning from the stream must pay.
        Assert.True(result.Incremental.LogLoss < result.Static.LogLoss, result.ToString());
        Assert.True(result.UpdateP50Milliseconds <= result.UpdateP95Milliseconds);
        Assert.True(result.UpdateP95Milliseconds <= result.UpdateMaxMilliseconds);
        Assert.InRange(result.AcceptedUpdates, 0, result.Batches);
        Assert.True(result.FinalTreeCount > 0);
    }

    [Fact]
    public void Run_SameInputs_SameResultApartFromTimes()
    {
        var data = BankMarketing.All.Select(Enumerable.Range(0, 3_000).ToArray());
        var options = new ReplaySimulationOptions { BatchSize = 300, RetrainEvery = 600 };

        var a = ReplaySimulation.Run(data, options);
        var b = ReplaySimulation.Run(data, options);

        Assert.Equal(a.Incremental, b.Incremental);
        Assert.Equal(a.Retrain, b.Retrain);
        Assert.Equal(a.FinalTreeCount, b.FinalTreeCount);
    }

    [Fact]
    public void Run_SeveralInvalidOptions_ListsEveryProblemAtOnce()
    {
        var options = new ReplaySimulationOptions { InitialFraction = 1, BatchSize = 0, RetrainEvery = -3 };

        var ex = Assert.Throws<OptionsValidationException>(() => ReplaySimulation.Run(BankMarketing.All, options));

        Assert.Contains(ex.Failures, f => f.Contains(nameof(ReplaySimulationOptions.InitialFraction), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(ReplaySimulationOptions.BatchSize), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(ReplaySimulationOptions.RetrainEvery), StringComparison.Ordinal));
    }

    [Fact]
    public void Run_InvalidLearnerOptions_NamesTheLearnerSetting()
    {
        var options = new ReplaySimulationOptions
        {
            BatchSize = 0,
            Learner = new IncrementalLearnerOptions { GuardFraction = 2, Collector = { Capacity = 10 }, Trigger = { CountThreshold = 20 } },
        };

        var ex = Assert.Throws<OptionsValidationException>(() => ReplaySimulation.Run(BankMarketing.All, options));

        Assert.Equal(3, ex.Failures.Count()); // the simulation's, the learner's range and the learner's cross rule, at once
        Assert.Contains("The field ReplaySimulationOptions.Learner.GuardFraction must be between 0 and 0.9.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReplaySimulationOptions.Learner.Trigger.CountThreshold (20) exceeds ReplaySimulationOptions.Learner.Collector.Capacity (10)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TooFewRowsToSplit_ThrowsArgumentException()
    {
        var data = BankMarketing.All.Select([0, 1]);

        var ex = Assert.Throws<ArgumentException>(() => ReplaySimulation.Run(data, new ReplaySimulationOptions { InitialFraction = 0.4 }));

        Assert.Equal("data", ex.ParamName);
        Assert.Contains("2 rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ReplaySimulation.Run(BankMarketing.All.Select(Enumerable.Range(0, 2_000).ToArray()), cancellationToken: cts.Token));
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
