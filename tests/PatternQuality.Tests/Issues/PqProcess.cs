using System.Diagnostics;

namespace PatternQuality.Tests.Issues;

/// <summary>
/// Starts the real <c>pq</c> tool as a child process. It runs the CLI project's own build output when it is there,
/// not the copy beside the tests: coverlet instruments the copy beside the tests, and every process that loads an
/// instrumented assembly writes its hits into one shared file when it exits. A child still exiting (or hung) when the
/// test host ends holds that file, and the whole run loses its coverage report. Children are also killed, never left
/// behind, when a wait times out.
/// </summary>
internal static class PqProcess
{
    private static readonly Lazy<string> _pq = new(FindPq);

    public static Process Start(params string[] args)
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(_pq.Value);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start pq.");
    }

    /// <summary>Waits for the process and returns its exit code and both outputs; kills it if the wait fails.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> WaitAsync(Process process, TimeSpan timeout)
    {
        using (process)
        {
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var cts = new CancellationTokenSource(timeout);
                await process.WaitForExitAsync(cts.Token);
                return (process.ExitCode, await stdout, await stderr);
            }
            catch
            {
                Kill(process);
                throw;
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// tests/PatternQuality.Tests/bin/{Configuration}/{tfm}/ maps to src/PatternQuality.Cli/bin/{Configuration}/{tfm}/;
    /// the test project references the CLI project, so the build has produced it.
    /// </summary>
    private static string FindPq()
    {
        var beside = new DirectoryInfo(AppContext.BaseDirectory);
        var tfm = beside.Name;
        var configuration = beside.Parent?.Name;
        var repository = beside.Parent?.Parent?.Parent?.Parent?.Parent;
        if (configuration is not null && repository is not null)
        {
            var own = Path.Combine(repository.FullName, "src", "PatternQuality.Cli", "bin", configuration, tfm, "pq.dll");
            if (File.Exists(own))
            {
                return own;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "pq.dll");
    }
}
