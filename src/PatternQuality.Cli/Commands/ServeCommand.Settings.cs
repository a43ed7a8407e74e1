using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Versioning;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Cli.Commands;

/// <content>What <c>pq serve</c> serves: its settings (nested, so callers name them <c>ServeCommand.ServeSettings</c>) and the store and rows they open.</content>
internal static partial class ServeCommand
{
    /// <summary>Opens the store and finds the rows' columns: the active model's, or the sample's before one exists.</summary>
    /// <exception cref="InvalidOperationException">The store has no active version and no sample was given, or the active version was not trained on CSV rows.</exception>
    private static async Task<(IModelStore Store, EmptyStoreRows Rows)> OpenAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        var location = settings.Store;

        // A store that does not exist yet is created only when a sample names the rows, so a mistyped path still fails.
        var store = StoreArguments.OpenStore(location, mustExist: settings.EmptyStore is null);
        using var versions = new ModelVersionManager(store);

        // The rows' columns come from the active model, as in pq predict (a model built in code has none and is refused
        // here); with no model yet, from the sample file the command was given.
        var stored = await versions.LoadActiveAsync(cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            var model = QualityModel.Load(stored);
            return (store, new EmptyStoreRows(model.CreateRowExtractor(), model.Columns!));
        }

        return (store, settings.EmptyStore ?? throw new InvalidOperationException(
            $"The store '{location}' has no active version and pq serve does not know the rows' columns yet: train one first (pq train --store {location} --data ...), or name them with a sample file (pq serve --store {location} --data sample.csv --label ...) to train the first model from feedback."));
    }

    /// <summary>What <see cref="BuildAsync(ServeSettings, CancellationToken)"/> serves.</summary>
    /// <param name="Store">The store location: a directory, <c>sqlite:PATH</c> or a PostgreSQL connection.</param>
    /// <param name="Urls">Where to listen.</param>
    internal sealed record ServeSettings(string Store, string Urls)
    {
        /// <summary>Gets the cron expression of scheduled retrains, or null.</summary>
        public string? RetrainCron { get; init; }

        /// <summary>Gets how many feedback records the first training waits for, or null for the lifecycle's default.</summary>
        public int? MinimumFeedback { get; init; }

        /// <summary>Gets the rows to serve while the store has no model, or null to refuse a store without one.</summary>
        public EmptyStoreRows? EmptyStore { get; init; }

        /// <summary>Gets the clock, or null for the system's (tests move the wall clock to a cron occurrence).</summary>
        public TimeProvider? Time { get; init; }

        /// <summary>Gets whether served scores are recorded in the store's prediction log (<c>--record-predictions</c>).</summary>
        public bool RecordPredictions { get; init; }
    }

    /// <summary>The rows served: the extractor (the active model's, or the one the first model is trained with) and its columns.</summary>
    /// <param name="Extractor">A row extractor (<see cref="CsvLoadResult.Extractor"/>, with an empty history).</param>
    /// <param name="Columns">Its columns (<see cref="CsvLoadResult.Columns"/>).</param>
    internal sealed record EmptyStoreRows(FeatureExtractor<Row> Extractor, IReadOnlyList<RowColumn> Columns)
    {
        /// <summary>Reads the columns (kinds, categories) from a sample file as <c>pq train</c> would read it.</summary>
        public static EmptyStoreRows FromSample(string path, CsvLoadOptions options, CancellationToken cancellationToken)
        {
            // The sample's history is not feedback: the served extractor starts from an empty state.
            var load = CsvDatasetLoader.Load(path, options, cancellationToken);
            return new EmptyStoreRows(load.Extractor.WithHistory(new HistoryState()), load.Columns);
        }
    }
}
