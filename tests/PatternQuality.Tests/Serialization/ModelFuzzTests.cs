using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Serialization;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;

namespace PatternQuality.Tests.Serialization;

/// <summary>
/// The model file contract under attack: any byte sequence gives a usable model (every score a probability) or a
/// <see cref="ModelFormatException"/> naming what is wrong, with bounded allocation. Mutations keep the SHA-256 valid
/// (see <see cref="ModelMutator"/>). The run is bounded in time (PQ_FUZZ_SECONDS, default 20); a failing input is
/// written to PQ_FUZZ_OUT (default: the temp folder) to be added to Fixtures/ModelFuzz as a regression fixture.
/// </summary>
public class ModelFuzzTests
{
    private static readonly Lazy<Seeds> _seeds = new(CreateSeeds);

    [Fact]
    public void Load_MutatedModelFiles_GivesUsableModelOrModelFormatException()
    {
        var seeds = _seeds.Value;
        var budget = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("PQ_FUZZ_SECONDS"), out var s) ? s : 20);
        var watch = Stopwatch.StartNew();
        var runs = 0;
        var loaded = 0;
        var property = Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var seedFile = seeds.Files[seed % seeds.Files.Length];
            var mutated = ModelMutator.Mutate(seedFile, seed);
            runs++;
            try
            {
                if (Check(mutated, seeds, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    loaded++;
                }
            }
            catch (ContractBreachException) when (Collecting)
            {
                // Collecting fixtures (PQ_FUZZ_COLLECT=1, for example against an older build): keep going.
            }
        });
        while (watch.Elapsed < budget)
        {
            property.Check(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true));
        }

        // Some mutations (metrics, names, unused bytes) must still load, or the test only exercises rejection.
        Assert.True(runs > 100, $"only {runs} mutated files were tried in {budget}.");
        Assert.InRange(loaded, 1, runs - 1);
    }

    [Fact]
    public void Mutate_SeedThatOnceAskedForAHugeSectionList_StaysWithinTheFile()
    {
        // CI seed 591502497: a raw mutation of the nested predictor gave a section count of hundreds of millions, and
        // the mutator (not the parser) preallocated a list that size. The mutator now checks the count against the file.
        var seeds = _seeds.Value;
        foreach (var file in seeds.Files)
        {
            var mutated = ModelMutator.Mutate(file, 591502497);
            Assert.NotEmpty(mutated);
        }

        var header = new byte[24];
        "PQMODEL\0"u8.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 591502497);
        Assert.Throws<ArgumentException>(() => ModelMutator.Split(header));
        Assert.NotEmpty(ModelMutator.Mutate(header, 1));
    }

    [Fact]
    public void Load_RegressionFixtures_RejectedWithModelFormatException()
    {
        var seeds = _seeds.Value;
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ModelFuzz"), "*.pqm");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(Check(bytes, seeds, Path.GetFileName(file)), $"{Path.GetFileName(file)} loaded; it was kept because it must not.");
        }
    }

    [Fact]
    public void Load_SeedModels_AllocateAFewTimesTheFileSize()
    {
        foreach (var file in _seeds.Value.Files)
        {
            QualityModel.Load(file);
            var before = GC.GetAllocatedBytesForCurrentThread();
            QualityModel.Load(file);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBound(file.Length), $"loading {file.Length:N0} bytes allocated {allocated:N0} bytes.");
        }
    }

    /// <summary>Loads one file; returns whether it loaded. Fails the test on any contract breach.</summary>
    private static bool Check(byte[] file, Seeds seeds, string name)
    {
        QualityModel model;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            model = QualityModel.Load(file);
        }
        catch (ModelFormatException ex)
        {
            var allocatedOnError = GC.GetAllocatedBytesForCurrentThread() - before;
            Require(allocatedOnError < AllocationBound(file.Length), file, name, $"rejecting it allocated {allocatedOnError:N0} bytes");
            Require(ex.Message.Contains("model file", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("section", StringComparison.Ordinal),
                file, name, "the message names neither the file nor a section: " + ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Require(false, file, name, $"{ex.GetType().Name} escaped Load: {ex.Message}");
            throw;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Require(allocated < AllocationBound(file.Length), file, name, $"loading it allocated {allocated:N0} bytes");
        try
        {
            var width = model.Info.Schema.Count;
            var row = new float[width];
            for (var i = 0; i < seeds.Rows.Length; i++)
            {
                var source = seeds.Rows[i];
                Array.Clear(row);
                source.AsSpan(0, Math.Min(width, source.Length)).CopyTo(row);
                var score = model.Score(row);
                Require(score is >= 0 and <= 1, file, name, $"it loaded and scored {score} for row {i}");
            }

            if (model.Columns is not null)
            {
                var extractor = model.CreateRowExtractor();
                var score = model.Score(extractor.Extract(seeds.RawRow));
                Require(score is >= 0 and <= 1, file, name, $"it loaded and scored {score} for a raw row");
            }
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Require(false, file, name, $"it loaded, then {ex.GetType().Name} on first use: {ex.Message}");
        }

        return true;
    }

    // Strings are UTF-16 (two bytes a character), trees are expanded to nodes and a flat scoring layout, and the
    // nested predictor file is copied once; 24 times the file plus a fixed 2 MB covers all of it.
    private static long AllocationBound(int fileLength) => (24L * fileLength) + (2L << 20);

    private static void Require(bool condition, byte[] file, string name, string what)
    {
        if (condition)
        {
            return;
        }

        var folder = Environment.GetEnvironmentVariable("PQ_FUZZ_OUT") ?? Path.Combine(Path.GetTempPath(), "pq-fuzz-failures");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"fuzz-{name}.pqm");
        File.WriteAllBytes(path, file);
        throw new ContractBreachException($"Mutated model '{name}' broke the contract ({what}); saved to {path}.");
    }

    private static Seeds CreateSeeds()
    {
        // Real rows: the first 600 of the coupon file, with a history key so every section type is present.
        using var csv = new TempFile(string.Join('\n', File.ReadLines(SharedData.Coupon).Take(601)));
        var options = new CsvLoadOptions { LabelColumn = "Y" };
        options.HistoryKeys.Add("occupation");
        var load = CsvDatasetLoader.Load(csv.Path, options);
        var files = new List<byte[]>();
        foreach (var method in new[] { CalibrationMethod.Isotonic, CalibrationMethod.Platt })
        {
            var trainer = new QualityTrainer(new QualityTrainerOptions
            {
                GradientBoosting = { NumberOfTrees = 6, NumberOfLeaves = 6 },
                Calibration = method,
                CalibrationFolds = 2,
            });
            files.Add(trainer.TrainAsync(load).GetAwaiter().GetResult().Model.ToBytes());
        }

        var d = load.Dataset;
        var rows = Enumerable.Range(0, 8).Select(i => d.GetRow(i * 50).ToArray()).ToArray();
        return new Seeds([.. files], rows, load.Table.GetRow(0));
    }

    private static bool Collecting => Environment.GetEnvironmentVariable("PQ_FUZZ_COLLECT") == "1";

    private sealed class ContractBreachException(string message) : Xunit.Sdk.XunitException(message);

    private sealed record Seeds(byte[][] Files, float[][] Rows, IReadOnlyDictionary<string, string?> RawRow);
}
