using PatternQuality.Feedback;

namespace PatternQuality.Cli.Demo;

/// <summary>
/// Plays a host application: every simulated day it shows users patterns and records whether they approve them.
/// </summary>
/// <remarks>
/// The generative model, so a reader can check what the learner should find:
/// <list type="bullet">
/// <item>Each pattern has a latent quality logit
/// <c>z = typeEffect[type] + 2.5 * (confidence - 0.5) + 0.35 * ln(1 + occurrences) - 0.15 * (devices - 2) + userBias[user] + timeOfDay(hour)</c>.</item>
/// <item><c>userBias</c> is drawn once per user from N(0, 0.8): some users approve more than others.</item>
/// <item><c>timeOfDay</c> is -0.9 between 22:00 and 06:59 (suggestions at night annoy people), +0.3 from 17:00 to 21:59, 0 otherwise.</item>
/// <item>The user approves with probability <c>sigmoid(z)</c>.</item>
/// <item>Drift: from <see cref="DriftDay"/> on, tastes change: <c>anomaly</c> patterns go from liked (+0.8) to disliked
/// (-1.0), <c>energy</c> patterns from neutral to liked (+0.9), and the weight on confidence halves.</item>
/// </list>
/// Everything is drawn from one seeded <see cref="Random"/>, so a run is reproducible.
/// </remarks>
internal sealed class FeedbackSimulator
{
    public static readonly string[] PatternTypes = ["time_of_day", "co_occurrence", "anomaly", "sequence", "room_based", "energy"];

    private static readonly double[] _typeEffectBefore = [0.6, 0.2, 0.8, -0.3, 0.0, 0.0];
    private static readonly double[] _typeEffectAfter = [0.6, 0.2, -1.0, -0.3, 0.0, 0.9];

    private readonly Random _random;
    private readonly double[] _userBias;
    private readonly DateTimeOffset _start;
    private long _sequence;

    public FeedbackSimulator(int seed, int users, int days, int feedbackPerDay, DateTimeOffset start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(feedbackPerDay, 1);
        _random = new Random(seed);
        _userBias = new double[users];
        for (var u = 0; u < users; u++)
        {
            _userBias[u] = 0.8 * Gaussian();
        }

        Days = days;
        FeedbackPerDay = feedbackPerDay;
        DriftDay = days / 2;
        _start = start;
    }

    public int Days { get; }

    public int FeedbackPerDay { get; }

    /// <summary>Gets the first day (0-based) of the changed tastes.</summary>
    public int DriftDay { get; }

    /// <summary>Simulates one day of feedback, in time order.</summary>
    public IReadOnlyList<FeedbackRecord<SimulatedPattern>> SimulateDay(int day)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(day);
        var times = new double[FeedbackPerDay];
        for (var i = 0; i < times.Length; i++)
        {
            // More activity in the day and evening than at night.
            times[i] = _random.NextDouble() < 0.8 ? 7 + (_random.NextDouble() * 16) : _random.NextDouble() * 24;
        }

        Array.Sort(times);
        var records = new List<FeedbackRecord<SimulatedPattern>>(FeedbackPerDay);
        foreach (var hour in times)
        {
            var at = _start.AddDays(day).AddHours(hour);
            var type = _random.Next(PatternTypes.Length);
            var user = _random.Next(_userBias.Length);
            var pattern = new SimulatedPattern(
                PatternTypes[type],
                Math.Round(_random.NextDouble(), 3),
                1 + (int)Math.Floor(-Math.Log(1 - _random.NextDouble()) * 12),
                1 + _random.Next(5),
                "user" + user.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
                at);
            var p = ApprovalProbability(pattern, type, user, day);
            var outcome = _random.NextDouble() < p ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected;
            var seq = _sequence++;
            records.Add(new FeedbackRecord<SimulatedPattern>("fb" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture), seq, pattern, outcome, at)
            {
                UserId = pattern.UserId,
            });
        }

        return records;
    }

    /// <summary>The true approval probability of the generative model (what a perfect model would say).</summary>
    public double ApprovalProbability(SimulatedPattern pattern, int typeIndex, int userIndex, int day)
    {
        var drifted = day >= DriftDay;
        var typeEffect = drifted ? _typeEffectAfter[typeIndex] : _typeEffectBefore[typeIndex];
        var confidenceWeight = drifted ? 1.25 : 2.5;
        var hour = pattern.ShownAt.Hour;
        var timeOfDay = hour >= 22 || hour < 7 ? -0.9 : hour >= 17 ? 0.3 : 0.0;
        var z = typeEffect
            + (confidenceWeight * (pattern.Confidence - 0.5))
            + (0.35 * Math.Log(1 + pattern.Occurrences))
            - (0.15 * (pattern.DeviceCount - 2))
            + _userBias[userIndex]
            + timeOfDay;
        return 1 / (1 + Math.Exp(-z));
    }

    private double Gaussian()
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm finite.
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
