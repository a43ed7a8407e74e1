using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Interop;

namespace PatternQuality.Cli.Commands;

/// <summary><c>pq export</c>: writes a stored model version as an ONNX file, to serve from any ONNX runtime.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new StoreArguments(withVersion: true);
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (replaced if it exists).", Required = true };
        var json = JsonOutput.CreateOption();
        var command = new Command("export", "Write a model version (trees and calibrator) as an ONNX file: input 'features' float [N, F], output 'probability' float [N].");
        store.AddTo(command);
        command.Options.Add(onnx);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(stderr, async () =>
        {
            var path = result.GetValue(onnx)!;
            using var manager = store.Open(result, mustExist: true);
            var loaded = await ModelInput.LoadAsync(manager, result.GetValue(store.Store)!, store.GetVersion(result), cancellationToken).ConfigureAwait(false);
            var bytes = OnnxExporter.ToBytes(loaded.Model);
            WriteAtomically(path, bytes);

            var schema = loaded.Model.Info.Schema;
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject
                {
                    ["version"] = loaded.Version,
                    ["onnx"] = Path.GetFullPath(path),
                    ["bytes"] = bytes.Length,
                    ["features"] = schema.Count,
                    ["calibration"] = loaded.Model.Calibrator.Method.ToString().ToLowerInvariant(),
                });
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Exported version {loaded.Version} ({schema.Count} features, {loaded.Model.Calibrator.Method} calibration) to {path} ({bytes.Length:N0} bytes)."));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Writes beside the target and renames over it, so a crash never leaves a half-written model where a server may load it.</summary>
    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"'{path}' is a directory; give the ONNX file's path.");
        }

        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The directory of '{path}' does not exist.");
        }

        var temp = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
