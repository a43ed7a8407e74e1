using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace PatternQuality.Tests.Storage;

/// <summary>Reaches a store's database behind its back, in this process or from a real second process (the sqlite3 shell).</summary>
internal static class SqliteTestDatabase
{
    public const string Shell = "/usr/bin/sqlite3";

    public static void Execute(string path, string sql)
    {
        // No pooling: the tests' own connection must not outlive the statement (it would hold the file open).
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Starts the sqlite3 shell on <paramref name="path"/>, runs <paramref name="sql"/> and waits until it prints 'ready', holding whatever transaction the script left open.</summary>
    /// <returns>The running process, or <see langword="null"/> when the shell is not installed (.ci/run installs it).</returns>
    public static async Task<Process?> StartHolderAsync(string path, string sql)
    {
        if (!File.Exists(Shell))
        {
            Console.WriteLine($"SKIPPED: {Shell} is not installed, so the two-process SQLite test cannot run (.ci/run installs it).");
            return null;
        }

        var process = Process.Start(new ProcessStartInfo(Shell, [path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;

        // The shell flushes after each statement it echoes; stdin stays open, so the transaction stays open with it.
        await process.StandardInput.WriteLineAsync(sql + "\nSELECT 'ready';");
        await process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && line != "ready")
        {
        }

        Assert.Equal("ready", line);
        return process;
    }

    public static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
