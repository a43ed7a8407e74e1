using Microsoft.Extensions.Options;
using PatternQuality.Trees;

namespace PatternQuality.ActiveLearning;

/// <summary>Options of <see cref="ActiveLearningSimulation"/>: the pool-based protocol that compares query strategies.</summary>
public class ActiveLearningSimulationOptions
{
    /// <summary>Gets or sets how many labels, drawn at random, every strategy starts from.</summary>
    /// <value>Default 100; at least 2.</value>
    public int StartLabels { get; set; } = 100;

    /// <summary>Gets or sets how many labels each round asks for.</summary>
    /// <value>Default 100; at least 1.</value>
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets the number of labels at which a run stops.</summary>
    /// <value>Default 2,000; at least <see cref="StartLabels"/>.</value>
    public int Budget { get; set; } = 2_000;

    /// <summary>Gets or sets how many seeds (splits, starting sets and model seeds) the curves average over.</summary>
    /// <value>Default 5; 1 to 100.</value>
    public int Seeds { get; set; } = 5;

    /// <summary>Gets or sets the fraction of rows held out to measure test AUC (a stratified random split per seed).</summary>
    /// <value>Default 0.2; strictly between 0 and 1.</value>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the model trained after every round.</summary>
    /// <value>Default: 100 trees of 15 leaves, the protocol of the XGBoost anchor in docs/active-learning.md.</value>
    public GradientBoostingOptions Model { get; set; } = new() { NumberOfTrees = 100, NumberOfLeaves = 15 };

    /// <summary>Throws when the options are inconsistent.</summary>
    /// <exception cref="OptionsValidationException">One or more options are invalid; every failure is listed.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        Check(errors, StartLabels >= 2, $"StartLabels is {StartLabels}; allowed: 2 or more.");
        Check(errors, BatchSize >= 1, $"BatchSize is {BatchSize}; allowed: 1 or more.");
        Check(errors, Seeds is >= 1 and <= 100, $"Seeds is {Seeds}; allowed: 1 to 100.");
        Check(errors, TestFraction is >= 0.01 and <= 0.99, $"TestFraction is {TestFraction}; allowed: 0.01 to 0.99.");
        if (Budget < StartLabels)
        {
            errors.Add($"Budget ({Budget}) must be at least StartLabels ({StartLabels}).");
        }

        if (Model is null)
        {
            errors.Add("Model must be set.");
        }
        else
        {
            try
            {
                Model.Validate();
            }
            catch (OptionsValidationException e)
            {
                errors.AddRange(e.Failures.Select(f => "Model: " + f));
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(ActiveLearningSimulationOptions), typeof(ActiveLearningSimulationOptions), errors);
        }
    }

    private static void Check(List<string> errors, bool valid, string message)
    {
        if (!valid)
        {
            errors.Add(message);
        }
    }
}
