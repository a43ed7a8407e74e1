using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Interop;

/// <summary>Options of <see cref="OnnxExporter"/>: the names of the exported graph's input and output.</summary>
public class OnnxExportOptions
{
    /// <summary>Gets or sets the name of the input tensor: float [N, F], one feature vector per row.</summary>
    /// <value>The default value is <c>features</c>. Must not be empty and must differ from <see cref="OutputName"/>.</value>
    [Required]
    public string InputName { get; set; } = "features";

    /// <summary>Gets or sets the name of the output tensor: float [N], the calibrated probability of each row.</summary>
    /// <value>The default value is <c>probability</c>. Must not be empty and must differ from <see cref="InputName"/>.</value>
    [Required]
    public string OutputName { get; set; } = "probability";

    /// <summary>Throws when a name is empty or both names are the same, naming every problem.</summary>
    /// <remarks>Runs <see cref="OnnxExportOptionsValidator"/>, generated from the data annotations above, and the rule that the names differ, as <see cref="OnnxExporter"/> does.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new OnnxExportOptionsValidator(), new OnnxExportNamesValidator());
}

/// <summary>Checks the data annotations of <see cref="OnnxExportOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class OnnxExportOptionsValidator : IValidateOptions<OnnxExportOptions>;

/// <summary>The rule between the two names that data annotations cannot state: they must differ.</summary>
internal sealed class OnnxExportNamesValidator : IValidateOptions<OnnxExportOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = string.IsNullOrEmpty(name) ? nameof(OnnxExportOptions) : name;

        // Empty names are reported by the generated validator; the same empty name twice is not a second problem.
        return !string.IsNullOrWhiteSpace(options.InputName) && string.Equals(options.InputName, options.OutputName, StringComparison.Ordinal)
            ? ValidateOptionsResult.Fail($"{prefix}.{nameof(options.InputName)} and {prefix}.{nameof(options.OutputName)} are both '{options.InputName}'; they must differ.")
            : ValidateOptionsResult.Success;
    }
}
