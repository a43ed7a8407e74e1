namespace PatternQuality.Evaluation;

/// <summary>Ranking metrics over graded relevance labels, scores and query boundaries.</summary>
public static class RankingMetrics
{
    /// <summary>The cut-offs <see cref="Compute"/> reports NDCG at.</summary>
    public static IReadOnlyList<int> ReportedCutoffs { get; } = [1, 3, 5];

    /// <summary>
    /// The ranking metrics a report gives, by their <see cref="MetricNames"/>: NDCG@1, @3 and @5 with linear gain
    /// (<c>ndcg@k</c>, scikit-learn's <c>ndcg_score</c>) and exponential gain (<c>ndcg_exp@k</c>, LightGBM's), MAP and MRR.
    /// </summary>
    /// <param name="labels">Graded relevance (0, 1, 2, ...) of each document.</param>
    /// <param name="scores">The model's score of each document; higher ranks first.</param>
    /// <param name="queryBoundaries">Ascending row offsets where each query starts, ending with the row count.</param>
    /// <returns>The metrics by name; NaN where no query counts.</returns>
    /// <exception cref="ArgumentException">Lengths differ, boundaries are malformed, a label is negative or not finite, or a score is NaN.</exception>
    public static Dictionary<string, double> Compute(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var k in ReportedCutoffs)
        {
            metrics[MetricNames.Ndcg(k)] = Ndcg(labels, scores, queryBoundaries, k, NdcgGain.Linear);
            metrics[MetricNames.NdcgExponential(k)] = Ndcg(labels, scores, queryBoundaries, k, NdcgGain.Exponential);
        }

        metrics[MetricNames.MeanAveragePrecision] = MeanAveragePrecision(labels, scores, queryBoundaries);
        metrics[MetricNames.MeanReciprocalRank] = MeanReciprocalRank(labels, scores, queryBoundaries);
        return metrics;
    }

    /// <summary>
    /// The mean over queries of NDCG@k with the discount 1 / log2(position + 1), positions counted from 1.
    /// </summary>
    /// <param name="labels">Graded relevance (0, 1, 2, ...) of each document; must be finite and >= 0.</param>
    /// <param name="scores">The model's score of each document; higher ranks first.</param>
    /// <param name="queryBoundaries">Ascending row offsets where each query starts, ending with the row count (as in <see cref="Data.Dataset.QueryBoundaries"/>).</param>
    /// <param name="k">Only the top k positions count; <see langword="null"/> for all. Queries shorter than k use all their documents.</param>
    /// <param name="gain">
    /// <see cref="NdcgGain.Exponential"/> reproduces LightGBM's reported <c>ndcg@k</c>; <see cref="NdcgGain.Linear"/>
    /// reproduces scikit-learn's <c>ndcg_score</c> averaged over queries. See <see cref="NdcgGain"/> for ties and empty queries.
    /// </param>
    /// <returns>The mean NDCG over non-empty queries, or NaN when every query is empty.</returns>
    /// <exception cref="ArgumentException">Lengths differ, boundaries are malformed, a label is negative or not finite, or a score is NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public static double Ndcg(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries, int? k = null, NdcgGain gain = NdcgGain.Exponential)
    {
        ArgumentNullException.ThrowIfNull(queryBoundaries);
        if (k is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1, or null for all positions.");
        }

        if (!Enum.IsDefined(gain))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, "gain must be Exponential or Linear.");
        }

        Check(labels, scores, queryBoundaries);
        double sum = 0;
        var queries = 0;
        for (var q = 1; q < queryBoundaries.Count; q++)
        {
            int start = queryBoundaries[q - 1], end = queryBoundaries[q];
            if (end < start)
            {
                throw new ArgumentException($"Query boundaries must not decrease (entry {q}).", nameof(queryBoundaries));
            }

            if (end == start)
            {
                continue;
            }

            var y = labels[start..end];
            var s = scores[start..end];
            sum += gain == NdcgGain.Exponential ? QueryExponential(y, s, k) : QueryLinear(y, s, k);
            queries++;
        }

        return queries > 0 ? sum / queries : double.NaN;
    }

    /// <summary>
    /// Mean average precision: the mean over queries with at least one relevant document of the average precision of
    /// the query's ranking, as scikit-learn's <c>average_precision_score</c> (documents with tied scores enter together).
    /// </summary>
    /// <param name="labels">Graded relevance of each document; must be finite and >= 0.</param>
    /// <param name="scores">The model's score of each document; higher ranks first.</param>
    /// <param name="queryBoundaries">Ascending row offsets where each query starts, ending with the row count.</param>
    /// <param name="relevanceThreshold">A document is relevant when its label is at least this (default 1).</param>
    /// <returns>The MAP, or NaN when no query has a relevant document.</returns>
    /// <exception cref="ArgumentException">Lengths differ, boundaries are malformed, a label is negative or not finite, or a score is NaN.</exception>
    public static double MeanAveragePrecision(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries, float relevanceThreshold = 1f)
        => PerQuery(labels, scores, queryBoundaries, relevanceThreshold, AveragePrecision);

    /// <summary>
    /// Mean reciprocal rank: the mean over queries with at least one relevant document of 1 / rank of the best-ranked
    /// relevant document. Ties are ranked pessimistically (a document's rank counts every document scoring at least as
    /// high), as scikit-learn's <c>label_ranking_average_precision_score</c> does.
    /// </summary>
    /// <param name="labels">Graded relevance of each document; must be finite and >= 0.</param>
    /// <param name="scores">The model's score of each document; higher ranks first.</param>
    /// <param name="queryBoundaries">Ascending row offsets where each query starts, ending with the row count.</param>
    /// <param name="relevanceThreshold">A document is relevant when its label is at least this (default 1).</param>
    /// <returns>The MRR, or NaN when no query has a relevant document.</returns>
    /// <exception cref="ArgumentException">Lengths differ, boundaries are malformed, a label is negative or not finite, or a score is NaN.</exception>
    public static double MeanReciprocalRank(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries, float relevanceThreshold = 1f)
        => PerQuery(labels, scores, queryBoundaries, relevanceThreshold, ReciprocalRank);

    private static double PerQuery(
        ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries, float threshold, Func<float[], float[], float, double> metric)
    {
        ArgumentNullException.ThrowIfNull(queryBoundaries);
        if (!float.IsFinite(threshold) || threshold <= 0)
        {
            throw new ArgumentOutOfRangeException("relevanceThreshold", threshold, "The relevance threshold must be finite and greater than 0.");
        }

        Check(labels, scores, queryBoundaries);
        double sum = 0;
        var queries = 0;
        for (var q = 1; q < queryBoundaries.Count; q++)
        {
            int start = queryBoundaries[q - 1], end = queryBoundaries[q];
            if (end < start)
            {
                throw new ArgumentException($"Query boundaries must not decrease (entry {q}).", nameof(queryBoundaries));
            }

            var y = labels[start..end].ToArray();
            if (!Array.Exists(y, v => v >= threshold))
            {
                continue;
            }

            sum += metric(y, scores[start..end].ToArray(), threshold);
            queries++;
        }

        return queries > 0 ? sum / queries : double.NaN;
    }

    private static double AveragePrecision(float[] labels, float[] scores, float threshold)
    {
        var n = labels.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));
        double relevant = 0;
        foreach (var y in labels)
        {
            relevant += y >= threshold ? 1 : 0;
        }

        // Precision and recall step at each distinct score: a tied block enters at once (scikit-learn's thresholds).
        double ap = 0, hits = 0, previousRecall = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && scores[order[end]] == scores[order[start]])
            {
                hits += labels[order[end]] >= threshold ? 1 : 0;
                end++;
            }

            var recall = hits / relevant;
            ap += (recall - previousRecall) * (hits / end);
            previousRecall = recall;
            start = end;
        }

        return ap;
    }

    private static double ReciprocalRank(float[] labels, float[] scores, float threshold)
    {
        var best = float.NegativeInfinity;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= threshold)
            {
                best = Math.Max(best, scores[i]);
            }
        }

        var rank = 0;
        foreach (var s in scores)
        {
            rank += s >= best ? 1 : 0;
        }

        return 1.0 / rank;
    }

    private static void Check(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, IReadOnlyList<int> queryBoundaries)
    {
        if (labels.Length != scores.Length)
        {
            throw new ArgumentException($"labels has {labels.Length} entries but scores has {scores.Length}.", nameof(scores));
        }

        if (queryBoundaries.Count < 1 || queryBoundaries[0] != 0 || queryBoundaries[^1] != labels.Length)
        {
            throw new ArgumentException($"Query boundaries must start at 0 and end at the row count ({labels.Length}).", nameof(queryBoundaries));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]) || labels[i] < 0)
            {
                throw new ArgumentException($"Relevance of row {i} is {labels[i]}; relevance must be finite and >= 0.", nameof(labels));
            }

            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score of row {i} is NaN.", nameof(scores));
            }
        }
    }

    private static double Discount(int position) => 1.0 / Math.Log2(position + 2.0);

    private static double QueryExponential(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, int? k)
    {
        var n = labels.Length;
        var top = Math.Min(k ?? n, n);
        var s = scores.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => s[a] != s[b] ? s[b].CompareTo(s[a]) : a.CompareTo(b));
        var ideal = labels.ToArray();
        Array.Sort(ideal, (a, b) => b.CompareTo(a));
        double dcg = 0, idcg = 0;
        for (var i = 0; i < top; i++)
        {
            dcg += (Math.Pow(2, labels[order[i]]) - 1) * Discount(i);
            idcg += (Math.Pow(2, ideal[i]) - 1) * Discount(i);
        }

        return idcg > 0 ? dcg / idcg : 1.0;
    }

    private static double QueryLinear(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, int? k)
    {
        var n = labels.Length;
        var top = Math.Min(k ?? n, n);
        var cumulative = new double[n];
        double acc = 0;
        for (var i = 0; i < n; i++)
        {
            acc += i < top ? Discount(i) : 0;
            cumulative[i] = acc;
        }

        var s = scores.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a]));

        // Tied scores share the mean of their gains, spread over the discounts of the positions they occupy.
        double dcg = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && s[order[end]] == s[order[start]])
            {
                end++;
            }

            double gains = 0;
            for (var j = start; j < end; j++)
            {
                gains += labels[order[j]];
            }

            var discounts = cumulative[end - 1] - (start > 0 ? cumulative[start - 1] : 0);
            dcg += gains / (end - start) * discounts;
            start = end;
        }

        var ideal = labels.ToArray();
        Array.Sort(ideal, (a, b) => b.CompareTo(a));
        double idcg = 0;
        for (var i = 0; i < top; i++)
        {
            idcg += ideal[i] * Discount(i);
        }

        return idcg > 0 ? dcg / idcg : 0.0;
    }
}
