using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Cli;

/// <summary>A temporary store directory, deleted on dispose, with helpers that put small coupon models in it.</summary>
internal sealed class TempStore : IDisposable
{
    private static readonly Lazy<byte[]> _couponModel = new(() =>
    {
        var load = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" });
        var predictor = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 8, NumberOfLeaves = 8, NumberOfThreads = 1 }).Fit(load.Dataset);
        return new QualityModel(predictor, IdentityCalibrator.Instance, null, load.Extractor.History.Clone(), load.Columns).ToBytes();
    });

    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "pq-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Dir = Path.Combine(Root, "store");
    }

    public string Root { get; }

    public string Dir { get; }

    public static string[] CouponFlags => ["--data", SharedData.Coupon, "--label", "Y"];

    /// <summary>A small GBDT on the coupon data, trained once for all tests: the tests need versions, not good models.</summary>
    public static byte[] CouponModel => _couponModel.Value;

    /// <summary>Saves the shared coupon model as a new version; with <paramref name="activate"/> it becomes active.</summary>
    public string AddCouponModel(bool activate = true)
    {
        using var manager = Open();
        var saved = manager.SaveAsync(CouponModel, new ModelSaveRequest { TrainingRows = 12684, Trainer = "gbdt", Metrics = new Dictionary<string, double> { ["auc"] = 0.7 } }).GetAwaiter().GetResult();
        if (activate)
        {
            manager.ActivateAsync(saved.Version, "test").GetAwaiter().GetResult();
        }

        return saved.Version;
    }

    public ModelVersionManager Open() => new(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = Dir }));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
