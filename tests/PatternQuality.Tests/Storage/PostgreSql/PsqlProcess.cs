using System.Diagnostics;
using Npgsql;

namespace PatternQuality.Tests.Storage.PostgreSql;

/// <summary>A real second process on the test server: the psql client, fed SQL on stdin and left holding whatever its script began.</summary>
internal static class PsqlProcess
{
    /// <summary>Starts psql and feeds it <paramref name="sql"/>; the caller waits for the effect it expects (a lock granted) on the server.</summary>
    /// <returns>The running process, or <see langword="null"/> when no psql client is installed (it comes with Debian's postgresql package, which .ci/run installs).</returns>
    public static async Task<Process?> StartAsync(string sql)
    {
        var psql = new[] { "/usr/bin/psql" }.Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "psql")) : [])
            .FirstOrDefault(File.Exists);
        if (psql is null)
        {
            Console.WriteLine("*** SKIPPED: no psql client, so the two-process PostgreSQL test cannot run (.ci/run installs postgresql). ***");
            return null;
        }

        var connection = new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString);
        var info = new ProcessStartInfo(psql)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-X");
        info.ArgumentList.Add("-q");
        info.ArgumentList.Add($"host={connection.Host} port={connection.Port} user={connection.Username} dbname={connection.Database}");
        if (connection.Password is { } password)
        {
            info.Environment["PGPASSWORD"] = password;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.StandardInput.WriteLineAsync(sql);
        await process.StandardInput.FlushAsync();
        return process;
    }

    /// <summary>Waits until the server shows <paramref name="condition"/> (a scalar query returning true), up to <paramref name="timeout"/> (a minute by default).</summary>
    public static async Task WaitUntilAsync(string condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (PostgreSqlTestServer.Scalar(condition) is not true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {condition}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: the client dies without closing its session; the server notices the broken connection and rolls back.</summary>
    public static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>The condition that the advisory lock (<paramref name="classKey"/>, <paramref name="objectKey"/>) is granted to some session.</summary>
    public static string AdvisoryLockHeld(int classKey, int objectKey) =>
        $"SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = {(uint)classKey} AND objid = {(uint)objectKey} AND objsubid = 2 AND granted);";
}
