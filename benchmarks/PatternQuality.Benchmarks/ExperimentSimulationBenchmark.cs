using System.Diagnostics;
using System.Globalization;
using PatternQuality.Experiments;

namespace PatternQuality.Benchmarks;

/// <summary>
/// The experiments table of docs/experiments.md: simulated 30-day A/B tests peeked at daily, under no true difference
/// (false-positive rate) and under a true +10% relative lift at a 20% base rate with 20,000 users per arm (power).
/// Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- experiments [simulations]</c>.
/// </summary>
internal static class ExperimentSimulationBenchmark
{
    public static void Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        Console.WriteLine($"{n} simulated experiments per row; 30 daily peeks; 20,000 users per arm; alpha 0.05");
        Console.WriteLine("scenario | mSPRT (daily peeks) | z-test peeked daily | z-test once at day 30 | seconds");
        foreach (var (name, lift, seed) in new[] { ("no difference (false-positive rate)", 0.0, 1), ("+10% relative lift at 20% (power)", 0.1, 2), ("+5% relative lift at 20% (power)", 0.05, 3) })
        {
            var sw = Stopwatch.StartNew();
            var (seq, peek, final) = Simulate(n, 0.2, lift, 20_000, 30, seed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} | {seq:P1} | {peek:P1} | {final:P1} | {sw.Elapsed.TotalSeconds:F1}"));
        }
    }

    private static (double Sequential, double Peeking, double Final) Simulate(int experiments, double baseRate, double relativeLift, int usersPerArm, int days, int seed)
    {
        var random = new Random(seed);
        int sequential = 0, peeking = 0, final = 0;
        var perDay = usersPerArm / days;
        for (var e = 0; e < experiments; e++)
        {
            var test = new SequentialProportionTest();
            long cs = 0, ts = 0, n = 0;
            bool seqRejected = false, peekRejected = false;
            for (var d = 0; d < days; d++)
            {
                for (var i = 0; i < perDay; i++)
                {
                    cs += random.NextDouble() < baseRate ? 1 : 0;
                    ts += random.NextDouble() < baseRate * (1 + relativeLift) ? 1 : 0;
                }

                n += perDay;
                seqRejected |= test.Update(cs, n, ts, n).Significant;
                peekRejected |= ProportionTest.ZTest(cs, n, ts, n).Significant;
            }

            sequential += seqRejected ? 1 : 0;
            peeking += peekRejected ? 1 : 0;
            final += ProportionTest.ZTest(cs, n, ts, n).Significant ? 1 : 0;
        }

        return ((double)sequential / experiments, (double)peeking / experiments, (double)final / experiments);
    }
}
