namespace PatternQuality.Tests.Online;

/// <summary>Synthetic per-record log-loss streams: a model predicting 0.2 while the true approval rate is q.</summary>
internal static class LossStreams
{
    public static IEnumerable<double> LogLoss(Random random, double approvalRate, int count, double predicted = 0.2)
    {
        for (var i = 0; i < count; i++)
        {
            yield return random.NextDouble() < approvalRate ? -Math.Log(predicted) : -Math.Log(1 - predicted);
        }
    }

    /// <summary>Feeds values until the first alarm; returns its 0-based position, or -1 when none.</summary>
    public static int FirstAlarm(PatternQuality.Online.IDriftDetector detector, IEnumerable<double> values)
    {
        var i = 0;
        foreach (var v in values)
        {
            if (detector.Add(v))
            {
                return i;
            }

            i++;
        }

        return -1;
    }
}
