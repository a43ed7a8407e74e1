using System.Text.Json.Serialization;
using PatternQuality.Evaluation.Internal;
using PatternQuality.Internal;

namespace PatternQuality.Evaluation;

/// <summary>
/// Predicted probability against observed approval rate, bin by bin: the picture behind expected and maximum
/// calibration error. A well-calibrated model has every bin on the diagonal.
/// </summary>
public sealed class ReliabilityDiagram
{
    private ReliabilityDiagram(ReliabilityBin[] bins, CalibrationBinning binning, double ece, double mce)
    {
        Bins = bins;
        Binning = binning;
        ExpectedCalibrationError = ece;
        MaximumCalibrationError = mce;
    }

    /// <summary>Gets all bins in score order, empty ones included.</summary>
    public IReadOnlyList<ReliabilityBin> Bins { get; }

    /// <summary>Gets how the bins were formed.</summary>
    public CalibrationBinning Binning { get; }

    /// <summary>Gets the expected calibration error: the sum over bins of |mean score - positive rate| times the bin's share of the total weight.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double ExpectedCalibrationError { get; }

    /// <summary>Gets the maximum calibration error: the largest |mean score - positive rate| over non-empty bins.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public double MaximumCalibrationError { get; }

    /// <summary>Bins the rows and measures calibration.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">Predicted probabilities in [0, 1].</param>
    /// <param name="weights">One weight per row, or empty for all ones.</param>
    /// <param name="bins">The number of bins.</param>
    /// <param name="binning">How rows are grouped into bins.</param>
    /// <returns>The diagram. With zero total weight both errors are NaN.</returns>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1, a probability is NaN or outside [0, 1], or a weight is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is not between 1 and 10000.</exception>
    public static ReliabilityDiagram Compute(
        ReadOnlySpan<float> labels,
        ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> weights = default,
        int bins = 10,
        CalibrationBinning binning = CalibrationBinning.EqualWidth)
    {
        MetricInput.CheckBinary(labels, probabilities, weights, scoresAreProbabilities: true);
        MetricInput.CheckBins(bins);
        if (!Enum.IsDefined(binning))
        {
            throw new ArgumentOutOfRangeException(nameof(binning), binning, "binning must be EqualWidth or EqualMass.");
        }

        var n = labels.Length;
        var binOf = new int[n];
        var lower = new double[bins];
        var upper = new double[bins];
        if (binning == CalibrationBinning.EqualWidth)
        {
            // np.linspace(0, 1, bins + 1): start + i * (1 / bins), with the last edge exactly 1.
            var step = 1.0 / bins;
            var edges = new double[bins + 1];
            for (var b = 0; b < bins; b++)
            {
                edges[b] = b * step;
            }

            edges[bins] = 1.0;
            for (var b = 0; b < bins; b++)
            {
                lower[b] = edges[b];
                upper[b] = edges[b + 1];
            }

            for (var i = 0; i < n; i++)
            {
                // np.searchsorted(edges[1:-1], p, side="left"): the number of inner edges strictly below p.
                double p = probabilities[i];
                int lo = 0, hi = bins - 1;
                while (lo < hi)
                {
                    var mid = (lo + hi) >> 1;
                    if (edges[mid + 1] < p)
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                binOf[i] = lo;
            }
        }
        else
        {
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }

            // Stable: ties keep row order, so the result does not depend on the sort algorithm.
            var probs = probabilities.ToArray();
            Array.Sort(order, (a, b) => probs[a] != probs[b] ? probs[a].CompareTo(probs[b]) : a.CompareTo(b));
            int baseSize = n / bins, extra = n % bins, pos = 0;
            for (var b = 0; b < bins; b++)
            {
                var size = baseSize + (b < extra ? 1 : 0);
                lower[b] = size > 0 ? probs[order[pos]] : double.NaN;
                upper[b] = size > 0 ? probs[order[pos + size - 1]] : double.NaN;
                for (var j = 0; j < size; j++)
                {
                    binOf[order[pos + j]] = b;
                }

                pos += size;
            }
        }

        var count = new int[bins];
        var wSum = new double[bins];
        var pSum = new double[bins];
        var ySum = new double[bins];
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            var w = MetricInput.Weight(weights, i);
            var b = binOf[i];
            count[b]++;
            wSum[b] += w;
            pSum[b] += w * probabilities[i];
            ySum[b] += w * labels[i];
            total += w;
        }

        var result = new ReliabilityBin[bins];
        double ece = 0, mce = 0;
        for (var b = 0; b < bins; b++)
        {
            var meanP = wSum[b] > 0 ? pSum[b] / wSum[b] : double.NaN;
            var rate = wSum[b] > 0 ? ySum[b] / wSum[b] : double.NaN;
            result[b] = new ReliabilityBin(lower[b], upper[b], count[b], wSum[b], meanP, rate);
            if (wSum[b] > 0)
            {
                var gap = Math.Abs(meanP - rate);
                ece += gap * wSum[b] / total;
                mce = Math.Max(mce, gap);
            }
        }

        return total > 0
            ? new ReliabilityDiagram(result, binning, ece, mce)
            : new ReliabilityDiagram(result, binning, double.NaN, double.NaN);
    }
}
