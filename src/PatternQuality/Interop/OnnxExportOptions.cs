using Microsoft.Extensions.Options;

namespace PatternQuality.Interop;

/// <summary>Options of <see cref="OnnxExporter"/>: the names of the exported graph's input and output.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Gets or sets the name of the input tensor: float [N, F], one feature vector per row.</summary>
    /// <value>The default value is <c>features</c>. Must not be empty and must differ from <see cref="OutputName"/>.</value>
    public string InputName { get; set; } = "features";

    /// <summary>Gets or sets the name of the output tensor: float [N], the calibrated probability of each row.</summary>
    /// <value>The default value is <c>probability</c>. Must not be empty and must differ from <see cref="InputName"/>.</value>
    public string OutputName { get; set; } = "probability";

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">A name is empty or both names are the same.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(InputName))
        {
            errors.Add("InputName is empty; allowed: any non-empty name.");
        }

        if (string.IsNullOrWhiteSpace(OutputName))
        {
            errors.Add("OutputName is empty; allowed: any non-empty name.");
        }

        if (errors.Count == 0 && string.Equals(InputName, OutputName, StringComparison.Ordinal))
        {
            errors.Add($"InputName and OutputName are both '{InputName}'; they must differ.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(OnnxExportOptions), typeof(OnnxExportOptions), errors);
        }
    }
}
