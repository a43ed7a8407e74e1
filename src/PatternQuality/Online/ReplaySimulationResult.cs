using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>What a <see cref="ReplaySimulation"/> measured: each contender's prequential quality and the update cost.</summary>
public sealed record ReplaySimulationResult
{
    /// <summary>Gets the number of streamed batches.</summary>
    public required int Batches { get; init; }

    /// <summary>Gets the number of rows every contender trained on before streaming.</summary>
    public required int InitialRows { get; init; }

    /// <summary>Gets the number of streamed rows (each scored before any contender learned from it).</summary>
    public required int StreamedRows { get; init; }

    /// <summary>Gets the quality of the model trained once on the initial rows and never updated.</summary>
    public required ReplayMetrics Static { get; init; }

    /// <summary>Gets the quality of the incrementally updated model.</summary>
    public required ReplayMetrics Incremental { get; init; }

    /// <summary>Gets the quality of the model retrained from scratch every <see cref="ReplaySimulationOptions.RetrainEvery"/> rows.</summary>
    public required ReplayMetrics Retrain { get; init; }

    /// <summary>Gets the median wall-clock time of one incremental update, in milliseconds.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double UpdateP50Milliseconds { get; init; }

    /// <summary>Gets the 95th percentile of the incremental update time, in milliseconds.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double UpdateP95Milliseconds { get; init; }

    /// <summary>Gets the slowest incremental update, in milliseconds.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public required double UpdateMaxMilliseconds { get; init; }

    /// <summary>Gets how many incremental updates passed their guard and were kept.</summary>
    public required int AcceptedUpdates { get; init; }

    /// <summary>Gets how many times the incremental model reached its tree limit and was compacted by a full retrain.</summary>
    public required int Compactions { get; init; }

    /// <summary>Gets the number of trees of the incrementally updated model at the end (served or not).</summary>
    public required int FinalTreeCount { get; init; }

    /// <summary>
    /// Gets after how many updates the incrementally updated model, rather than the last fully trained one, was served
    /// to score the next batch (<see cref="IncrementalLearnerOptions.ServeOnlyWhenBetter"/>).
    /// </summary>
    public int ServedUpdatedBatches { get; init; }

    /// <summary>Gets how many times the updated model was restarted from the last fully trained one because the serving test showed it worse.</summary>
    public int Restarts { get; init; }
}
