using System.Diagnostics;

namespace PatternQuality.Tests.Issues;

/// <summary>Starts the real <c>pq</c> tool (its assembly sits beside the tests) as a child process.</summary>
internal static class PqProcess
{
    public static Process Start(params string[] args)
    {
        var pq = Path.Combine(AppContext.BaseDirectory, "pq.dll");
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(pq);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start pq.");
    }

    /// <summary>Waits for the process and returns its exit code and both outputs.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> WaitAsync(Process process, TimeSpan timeout)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
