using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Tests.Validation.Fakes;
using PatternQuality.Validation;

namespace PatternQuality.Tests.Validation;

public class PermutationImportanceTests
{
    [Fact]
    public void Compute_ModelUsingOneFeature_RanksItFirstAndTheOthersNearZero()
    {
        var data = SyntheticData.Create(800, seed: 1);
        var predictor = new FunctionPredictor(data.Schema, SyntheticData.TrueProbability);

        var result = PermutationImportance.Compute(predictor, data, new PermutationImportanceOptions { Repeats = 3, Seed = 1 });

        Assert.Equal("signal", result.Ranked[0].Name);
        Assert.True(result.ByName["signal"].Mean > 0.2);
        Assert.Equal(0, result.ByName["noise"].Mean, 12);
        Assert.Equal(0, result.ByName["colour"].Mean, 12);
    }

    [Fact]
    public void Compute_CategoricalFeature_IsPermutedAsAWholeColumnAndKeyedByName()
    {
        var data = SyntheticData.Create(800, seed: 2);
        var seen = new HashSet<float>();
        var predictor = new FunctionPredictor(data.Schema, r =>
        {
            seen.Add(r[2]);
            return r[2] == 1f ? 0.9f : 0.1f;
        });

        var result = PermutationImportance.Compute(predictor, data, new PermutationImportanceOptions { Metric = EvaluationMetric.LogLoss, Repeats = 2 });

        Assert.Subset(new HashSet<float> { 1f, 2f, 3f }, seen);
        Assert.Contains("colour", result.ByName.Keys);
        Assert.Equal(EvaluationMetric.LogLoss, result.Metric);
    }

    [Fact]
    public void Compute_SchemaMismatch_ThrowsSchemaMismatch()
    {
        var data = SyntheticData.Create(50, seed: 3);
        var other = new PatternQuality.Data.FeatureSchema([new PatternQuality.Data.FeatureDefinition("x", PatternQuality.Data.FeatureKind.Numeric)]);

        Assert.Throws<PatternQuality.Data.SchemaMismatchException>(() => PermutationImportance.Compute(new FunctionPredictor(other, _ => 0.5f), data));
    }

    [Fact]
    public void Options_ZeroRepeats_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new PermutationImportanceOptions { Repeats = 0 }.Validate());
        Assert.Contains("Repeats", ex.Message, StringComparison.Ordinal);
    }
}
