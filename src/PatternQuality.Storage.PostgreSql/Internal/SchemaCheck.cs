using Npgsql;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>
/// Creates or migrates the package's tables once per store instance (model store, feedback store and prediction log
/// each hold one). A read never creates tables: when the migrations a store needs are not applied yet (a read-only
/// user, a mistyped schema, a database older than the table) the read sees an empty store instead.
/// </summary>
/// <param name="schema">The PostgreSQL schema that holds the tables.</param>
/// <param name="location">The store's location, for error messages.</param>
/// <param name="requiredVersion">The first migration that creates the store's own table (1 ml_models, 2 training_data, 3 model_predictions).</param>
internal sealed class SchemaCheck(string schema, string location, int requiredVersion)
{
    // One migration at a time per instance; the flag lets every later call skip the gate and the round trip.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _checked;

    /// <summary>Creates or migrates the tables once; for a read (<paramref name="create"/> false), only checks them.</summary>
    /// <returns><see langword="false"/> when the store's table does not exist yet and <paramref name="create"/> is false: the store reads as empty.</returns>
    public async Task<bool> EnsureAsync(NpgsqlConnection connection, bool create, CancellationToken cancellationToken)
    {
        if (_checked)
        {
            return true;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_checked)
            {
                if (!create && await PostgreSqlSchema.AppliedVersionAsync(connection, null, schema, cancellationToken).ConfigureAwait(false) < requiredVersion)
                {
                    return false;
                }

                await PostgreSqlSchema.EnsureAsync(connection, schema, location, cancellationToken).ConfigureAwait(false);
                _checked = true;
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
