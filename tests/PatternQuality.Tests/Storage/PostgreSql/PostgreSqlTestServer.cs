using System.Diagnostics;
using Npgsql;

namespace PatternQuality.Tests.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL server the tests use (issue 13 item 4): the one named by <c>PQ_TEST_POSTGRES</c> (.ci/run starts a
/// throwaway cluster and sets it), else a throwaway cluster this test process starts itself with .ci/postgres.sh and
/// stops when it exits. When no server can be started the PostgreSQL tests are skipped with a loud message, except
/// under CI (<c>CI=true</c>), where they fail.
/// </summary>
internal static class PostgreSqlTestServer
{
    public const string Variable = "PQ_TEST_POSTGRES";

    private static readonly Lazy<(string? ConnectionString, string? Problem)> Server = new(Start);

    /// <summary>Gets the connection string of the test server, or <see langword="null"/> when none could be started (outside CI only).</summary>
    /// <exception cref="InvalidOperationException">No server could be started and <c>CI=true</c>: CI must not skip these tests.</exception>
    public static string? ConnectionString
    {
        get
        {
            var (connectionString, problem) = Server.Value;
            if (connectionString is not null)
            {
                return connectionString;
            }

            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"No PostgreSQL server for the tests, and CI=true does not allow skipping them: {problem}");
            }

            return null;
        }
    }

    /// <summary>Says loudly that a PostgreSQL test did not run, and why; returns whether the caller must return (skip).</summary>
    public static bool Skip(string test)
    {
        if (ConnectionString is not null)
        {
            return false;
        }

        var message = $"*** SKIPPED (PostgreSQL): {test}: no PostgreSQL server could be started ({Server.Value.Problem}). Set {Variable} or install Debian's postgresql package; .ci/run does both. ***";
        Console.WriteLine(message);
        Console.Error.WriteLine(message);
        return true;
    }

    /// <summary>A schema of its own for one test (dropped by <see cref="DropSchema"/>), so tests never see each other's rows.</summary>
    public static string NewSchema() => "pqt_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The store URL <c>pq --store</c> takes for <paramref name="schema"/> on the test server (the password comes from the environment, never the URL).</summary>
    public static string StoreUrl(string schema)
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgresql://{server.Username}@{server.Host}:{server.Port}/{server.Database}?schema={schema}";
    }

    public static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public static void DropSchema(string schema) => BestEffort($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");

    public static void DeleteModelType(string schema, string modelType) => BestEffort($"DELETE FROM \"{schema}\".ml_models WHERE model_type = '{modelType}';");

    private static void BestEffort(string sql)
    {
        if (Server.IsValueCreated && Server.Value.ConnectionString is not null)
        {
            try
            {
                Execute(sql);
            }
            catch (NpgsqlException)
            {
                // Best effort: the cluster is thrown away after the run.
            }
        }
    }

    private static (string?, string?) Start()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Check(given, $"{Variable} is set");
        }

        var script = FindScript();
        if (script is null)
        {
            return (null, $"{Variable} is not set and .ci/postgres.sh was not found above {AppContext.BaseDirectory}");
        }

        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("start");
        info.ArgumentList.Add("--no-install");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            return (null, ".ci/postgres.sh start did not finish within 2 minutes");
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length < 2)
        {
            return (null, $".ci/postgres.sh start failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
        }

        var directory = lines[0];
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(script, directory);
        Console.WriteLine($"PostgreSQL for the tests: a throwaway cluster in {directory} ({lines[1]}), stopped when the tests end.");
        return Check(lines[1], "started by .ci/postgres.sh");
    }

    private static (string?, string?) Check(string connectionString, string origin)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return (connectionString, null);
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            return (null, $"the server ({origin}) does not accept connections: {ex.Message}");
        }
    }

    private static void Stop(string script, string directory)
    {
        try
        {
            using var stop = Process.Start(new ProcessStartInfo("bash", [script, "stop", directory]) { UseShellExecute = false });
            stop?.WaitForExit(30_000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The test process is exiting; the cluster's directory is in the temp folder.
        }
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".ci", "postgres.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
