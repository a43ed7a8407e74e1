using Microsoft.Extensions.Options;
using PatternQuality.Feedback;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// Checks the data annotations of <see cref="PredictionRecorderOptions"/> at host start (<c>ValidateOnStart</c>), generated
/// at compile time. The core's own validator is internal to it; this one is generated from the same annotations.
/// </summary>
[OptionsValidator]
internal sealed partial class PredictionRecorderOptionsValidator : IValidateOptions<PredictionRecorderOptions>;
