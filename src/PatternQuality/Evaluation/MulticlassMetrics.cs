namespace PatternQuality.Evaluation;

/// <summary>
/// Multiclass metrics over class-index labels and row-major class probabilities (<c>rows * classCount</c>),
/// matching scikit-learn 1.2.1.
/// </summary>
public static class MulticlassMetrics
{
    /// <summary>The share of rows whose most probable class (the first, on ties) is the label.</summary>
    /// <param name="labels">Class indexes 0 .. classCount - 1.</param>
    /// <param name="probabilities">Row-major probabilities, <paramref name="classCount"/> per row.</param>
    /// <param name="classCount">The number of classes (at least 2).</param>
    /// <returns>The accuracy.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, the input is empty, a label is not a class index, or a probability is NaN.</exception>
    public static double Accuracy(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        Check(labels, probabilities, classCount);
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (ArgMax(probabilities.Slice(i * classCount, classCount)) == (int)labels[i])
            {
                correct++;
            }
        }

        return (double)correct / labels.Length;
    }

    /// <summary>
    /// The unweighted mean of per-class F1 over the classes that occur in the labels or the predictions (scikit-learn's
    /// <c>f1_score(average="macro", zero_division=0)</c>); the prediction is the most probable class.
    /// </summary>
    /// <param name="labels">Class indexes 0 .. classCount - 1.</param>
    /// <param name="probabilities">Row-major probabilities, <paramref name="classCount"/> per row.</param>
    /// <param name="classCount">The number of classes (at least 2).</param>
    /// <returns>The macro F1.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, the input is empty, a label is not a class index, or a probability is NaN.</exception>
    public static double MacroF1(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        Check(labels, probabilities, classCount);
        var tp = new double[classCount];
        var fp = new double[classCount];
        var fn = new double[classCount];
        for (var i = 0; i < labels.Length; i++)
        {
            var y = (int)labels[i];
            var p = ArgMax(probabilities.Slice(i * classCount, classCount));
            if (p == y)
            {
                tp[y]++;
            }
            else
            {
                fp[p]++;
                fn[y]++;
            }
        }

        double sum = 0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (tp[c] + fp[c] + fn[c] == 0)
            {
                continue;
            }

            present++;
            sum += 2 * tp[c] / ((2 * tp[c]) + fp[c] + fn[c]);
        }

        return sum / present;
    }

    /// <summary>
    /// Mean negative log-likelihood of the label's class, with each probability clipped to [eps, 1 - eps]
    /// (eps = 2.22e-16) and each row renormalised to sum to 1, as scikit-learn 1.2.1's <c>log_loss</c> does.
    /// </summary>
    /// <param name="labels">Class indexes 0 .. classCount - 1.</param>
    /// <param name="probabilities">Row-major probabilities, <paramref name="classCount"/> per row.</param>
    /// <param name="classCount">The number of classes (at least 2).</param>
    /// <returns>The log loss.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, the input is empty, a label is not a class index, or a probability is NaN or negative.</exception>
    public static double LogLoss(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        Check(labels, probabilities, classCount);
        const double eps = BinaryMetrics.LogLossEpsilon;
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classCount, classCount);
            double sum = 0;
            for (var c = 0; c < classCount; c++)
            {
                if (row[c] < 0)
                {
                    throw new ArgumentException($"Probability of row {i}, class {c} is {row[c]}; probabilities must be >= 0.", nameof(probabilities));
                }

                sum += Math.Clamp((double)row[c], eps, 1 - eps);
            }

            total += -Math.Log(Math.Clamp((double)row[(int)labels[i]], eps, 1 - eps) / sum);
        }

        return total / labels.Length;
    }

    /// <summary>Counts rows by true class (row) and predicted class (column, the most probable), as scikit-learn's <c>confusion_matrix</c>.</summary>
    /// <param name="labels">Class indexes.</param>
    /// <param name="probabilities">Row-major probabilities, <paramref name="classCount"/> per row.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <returns><paramref name="classCount"/> rows of <paramref name="classCount"/> counts.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, a label is not a class index, or a probability is NaN.</exception>
    public static IReadOnlyList<IReadOnlyList<int>> ConfusionCounts(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        Check(labels, probabilities, classCount);
        var counts = new int[classCount][];
        for (var c = 0; c < classCount; c++)
        {
            counts[c] = new int[classCount];
        }

        for (var i = 0; i < labels.Length; i++)
        {
            counts[(int)labels[i]][ArgMax(probabilities.Slice(i * classCount, classCount))]++;
        }

        return counts;
    }

    /// <summary>
    /// Precision, recall, F1 and support of each class (scikit-learn's <c>precision_recall_fscore_support</c> with
    /// <c>average=None</c>; a ratio with nothing to divide by is 0, as its <c>zero_division</c> default gives).
    /// </summary>
    /// <param name="labels">Class indexes.</param>
    /// <param name="probabilities">Row-major probabilities, <paramref name="classCount"/> per row.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <returns>One entry per class, in class order.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, a label is not a class index, or a probability is NaN.</exception>
    public static IReadOnlyList<ClassMetrics> PerClass(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        var confusion = ConfusionCounts(labels, probabilities, classCount);
        var result = new ClassMetrics[classCount];
        for (var c = 0; c < classCount; c++)
        {
            var tp = confusion[c][c];
            var support = 0;
            var predicted = 0;
            for (var d = 0; d < classCount; d++)
            {
                support += confusion[c][d];
                predicted += confusion[d][c];
            }

            var precision = predicted == 0 ? 0 : (double)tp / predicted;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result[c] = new ClassMetrics(c, precision, recall, f1, support);
        }

        return result;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
            {
                best = c;
            }
        }

        return best;
    }

    private static void Check(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "classCount must be at least 2.");
        }

        if (labels.IsEmpty)
        {
            throw new ArgumentException("labels is empty; a metric needs at least one row.", nameof(labels));
        }

        if ((long)labels.Length * classCount != probabilities.Length)
        {
            throw new ArgumentException(
                $"probabilities has {probabilities.Length} values; {labels.Length} rows of {classCount} classes need {(long)labels.Length * classCount}.",
                nameof(probabilities));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (!(y >= 0) || y >= classCount || y != MathF.Floor(y))
            {
                throw new ArgumentException($"Label of row {i} is {y}; labels must be class indexes 0 .. {classCount - 1}.", nameof(labels));
            }
        }

        for (var j = 0; j < probabilities.Length; j++)
        {
            if (float.IsNaN(probabilities[j]))
            {
                throw new ArgumentException($"Probability of row {j / classCount}, class {j % classCount} is NaN.", nameof(probabilities));
            }
        }
    }
}
