using System.Buffers;

namespace PatternQuality.Trees.Internal;

/// <summary>Scores many rows on every core.</summary>
/// <remarks>
/// Spans cannot cross threads without unsafe code, so large inputs are copied block by block into pooled arrays
/// (a copy costs a few percent of the scoring time) and each block is scored in parallel.
/// </remarks>
internal static class BatchScoring
{
    /// <summary>Batches of at most this many rows are scored on the calling thread.</summary>
    public const int SequentialRows = 2048;
    private const int BlockRows = 1 << 16;
    private const int ChunkRows = 1024;

    public delegate void BlockScorer(ReadOnlySpan<float> rows, Span<float> destination);

    public static void Score(ReadOnlySpan<float> features, Span<float> destination, int featureCount, int outputsPerRow, BlockScorer scorer)
    {
        var rows = destination.Length / outputsPerRow;
        if (rows <= SequentialRows || Environment.ProcessorCount == 1)
        {
            scorer(features, destination);
            return;
        }

        var block = Math.Min(rows, BlockRows);
        var input = ArrayPool<float>.Shared.Rent(block * featureCount);
        var output = ArrayPool<float>.Shared.Rent(block * outputsPerRow);
        try
        {
            for (var start = 0; start < rows; start += block)
            {
                var count = Math.Min(block, rows - start);
                features.Slice(start * featureCount, count * featureCount).CopyTo(input);
                var chunks = (count + ChunkRows - 1) / ChunkRows;
                Parallel.For(0, chunks, c =>
                {
                    var from = c * ChunkRows;
                    var n = Math.Min(ChunkRows, count - from);
                    scorer(
                        input.AsSpan(from * featureCount, n * featureCount),
                        output.AsSpan(from * outputsPerRow, n * outputsPerRow));
                });
                output.AsSpan(0, count * outputsPerRow).CopyTo(destination.Slice(start * outputsPerRow));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(output);
        }
    }
}
