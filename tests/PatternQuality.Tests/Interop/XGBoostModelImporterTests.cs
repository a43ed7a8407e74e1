using System.Globalization;
using System.Text;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Interop;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Serialization;
using PatternQuality.Trees;
using PatternQuality.Tests.Trees;

namespace PatternQuality.Tests.Interop;

/// <summary>Imported XGBoost models predict what python3-xgboost 1.7.4 predicts (fixtures and script in Fixtures/Interop).</summary>
public sealed class XGBoostModelImporterTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Interop", name);

    internal static TreeEnsembleModel ImportFixture(string name, FeatureSchema schema)
    {
        using var file = File.OpenRead(Fixture(name));
        return XGBoostModelImporter.Import(file, schema);
    }

    /// <summary>Reads xgb_missing.csv: label first, then 28 features, an empty cell is missing.</summary>
    internal static Dataset LoadMissingCsv()
    {
        var lines = File.ReadAllLines(Fixture("xgb_missing.csv")).Skip(1).ToArray();
        var schema = new FeatureSchema(Enumerable.Range(0, 28).Select(j => new FeatureDefinition($"f{j}", FeatureKind.Numeric)));
        var x = new List<float>();
        var y = new List<float>();
        foreach (var line in lines)
        {
            var parts = line.Split(',');
            y.Add(float.Parse(parts[0], CultureInfo.InvariantCulture));
            x.AddRange(parts.Skip(1).Select(p => p.Length == 0 ? float.NaN : float.Parse(p, CultureInfo.InvariantCulture)));
        }

        return new Dataset(schema, x.ToArray(), y.ToArray());
    }

    [Fact]
    public void Binary100Trees_ProbabilitiesEqualBoosterPredict()
    {
        var test = TestData.BinaryTest;
        var model = ImportFixture("xgb_binary_100.json", test.Schema);
        var expected = File.ReadAllLines(Fixture("xgb_binary_100.pred")).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

        var actual = new float[test.RowCount];
        model.PredictProbability(test.Features.Span, actual);

        Assert.Equal(100, model.TreeCount);
        Assert.Equal(expected.Length, actual.Length);
        var max = expected.Select((p, r) => Math.Abs(p - actual[r])).Max();
        Assert.True(max <= 1e-5, $"max difference {max:E2}");
        Assert.StartsWith("XGBoost 1.7.4", model.TrainingOptions["Source"]);
    }

    [Fact]
    public void MissingValues_DefaultDirections_MarginAndProbabilityEqualBoosterPredict()
    {
        var test = LoadMissingCsv();
        var model = ImportFixture("xgb_missing.json", test.Schema);
        var expected = File.ReadAllLines(Fixture("xgb_missing.pred")).Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

        Assert.Contains(test.Features.ToArray(), float.IsNaN);
        for (var r = 0; r < test.RowCount; r++)
        {
            Assert.Equal(expected[r][0], model.PredictProbability(test.GetRow(r)), 1e-5);
            Assert.Equal(expected[r][1], model.PredictRaw(test.GetRow(r)), 1e-5);
        }
    }

    [Fact]
    public async Task Imported_IncrementalLearnerUpdatesIt()
    {
        var extractor = Enumerable.Range(0, 28).Aggregate(new FeatureExtractorBuilder<float[]>(), (b, j) => b.Numeric($"f{j}", r => r[j])).Build();
        var imported = ImportFixture("xgb_missing.json", extractor.Schema);
        var holder = new QualityModelHolder(new QualityModel(imported));
        // The mechanics of updating an imported model: serve every accepted update (one batch cannot pass the serving test).
        using var learner = new IncrementalLearner<float[]>(extractor, holder, new IncrementalLearnerOptions { NumberOfTreesPerUpdate = 3, ServeOnlyWhenBetter = false });
        var train = TestData.BinaryTrain;
        for (var r = 0; r < 400; r++)
        {
            // Users now approve what the model rejects (a concept flip), so an update clearly lowers the loss and is accepted.
            var outcome = train.Labels.Span[r] > 0.5f ? FeedbackOutcome.Rejected : FeedbackOutcome.Approved;
            await learner.AddAsync(new FeedbackRecord<float[]>($"r{r}", r, train.GetRow(r).ToArray(), outcome, DateTimeOffset.UnixEpoch.AddMinutes(r)));
        }

        var update = await learner.UpdateAsync();

        Assert.Equal(400, update.BatchSize);
        Assert.True(update.Accepted, update.Note);
        Assert.True(update.CandidateLoss < update.CurrentLoss);
        Assert.NotSame(imported, ((QualityModel)holder.Current!).Predictor);
        var updated = (TreeEnsembleModel)((QualityModel)holder.Current!).Predictor;
        Assert.True(updated.TreeCount >= imported.TreeCount);
        Assert.Equal("XGBoost 1.7.4", imported.TrainingOptions["Source"]);
    }

    [Fact]
    public void Imported_ContinuedTraining_AddsTrees()
    {
        var train = TestData.BinaryTrain;
        var imported = ImportFixture("xgb_binary_100.json", train.Schema);

        var continued = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfThreads = 1 }).ContinueTraining(imported, train, 5);

        Assert.Equal(105, continued.TreeCount);
    }

    public static TheoryData<string> Malformed => new()
    {
        "not json at all",
        "{\"learner\": 3}",
        "{\"learner\": {\"objective\": {\"name\": \"binary:logistic\"}}}",
        "[]",
        "{\"learner\": {\"objective\": {\"name\": \"binary:logistic\"}, \"learner_model_param\": {\"num_class\": \"0\", \"base_score\": \"2\", \"num_feature\": \"1\"}, \"gradient_booster\": {\"name\": \"gbtree\", \"model\": {\"trees\": []}}}}",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Import_Malformed_ModelFormatException(string content)
    {
        Assert.Throws<ModelFormatException>(() => XGBoostModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(content)), TestData.BinaryTest.Schema));
    }

    [Fact]
    public void Import_TruncatedOrCorruptedFixture_ModelFormatException()
    {
        var bytes = File.ReadAllBytes(Fixture("xgb_missing.json"));
        Assert.Throws<ModelFormatException>(() => XGBoostModelImporter.Import(new MemoryStream(bytes[..(bytes.Length / 2)]), TestData.BinaryTest.Schema));
        var text = Encoding.UTF8.GetString(bytes);
        var badChild = text.Replace("\"left_children\":[1,", "\"left_children\":[99999,", StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => XGBoostModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(badChild)), TestData.BinaryTest.Schema));
        var fewFeatures = new FeatureSchema([new FeatureDefinition("a", FeatureKind.Numeric)]);
        Assert.Throws<ModelFormatException>(() => XGBoostModelImporter.Import(new MemoryStream(bytes), fewFeatures));
    }

    [Fact]
    public void Import_Unsupported_NotSupportedException()
    {
        var text = File.ReadAllText(Fixture("xgb_missing.json"));
        var multiclass = text.Replace("\"num_class\":\"0\"", "\"num_class\":\"3\"", StringComparison.Ordinal);
        var objective = text.Replace("binary:logistic", "reg:squarederror", StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => XGBoostModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(multiclass)), TestData.BinaryTest.Schema));
        Assert.Throws<NotSupportedException>(() => XGBoostModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(objective)), TestData.BinaryTest.Schema));
        Assert.Throws<ArgumentNullException>(() => XGBoostModelImporter.Import(null!, TestData.BinaryTest.Schema));
    }

    [Fact]
    public void Import_FeatureNames_MatchedByName()
    {
        var text = File.ReadAllText(Fixture("xgb_missing.json"));
        var names = "\"feature_names\":[" + string.Join(',', Enumerable.Range(0, 28).Select(j => $"\"f{j}\"")) + "]";
        var named = text.Replace("\"feature_names\":[]", names, StringComparison.Ordinal);
        Assert.NotEqual(text, named);
        var test = LoadMissingCsv();
        var reversed = new FeatureSchema(test.Schema.Features.Reverse());
        var model = XGBoostModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(named)), reversed);
        var row = test.GetRow(3).ToArray();
        Array.Reverse(row);

        Assert.Equal(ImportFixture("xgb_missing.json", test.Schema).PredictRaw(test.GetRow(3)), model.PredictRaw(row), 12);
        var missing = named.Replace("\"f3\"", "\"zzz\"", StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => XGBoostModelImporter.Import(new MemoryStream(Encoding.UTF8.GetBytes(missing)), reversed));
    }
}
