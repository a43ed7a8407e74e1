using System.Globalization;
using Microsoft.Extensions.Options;

namespace PatternQuality.MLNet.Internal;

/// <summary>Collects range errors of an options class and throws them together, as the core options do.</summary>
internal sealed class OptionChecks(string optionsName, Type optionsType)
{
    private readonly List<string> _errors = [];

    public OptionChecks Range(string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; allowed: {min} to {max}."));
        }

        return this;
    }

    public OptionChecks Above(string name, double value, double min, double max)
    {
        if (!(value > min && value <= max))
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; allowed: greater than {min}, at most {max}."));
        }

        return this;
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new OptionsValidationException(optionsName, optionsType, _errors);
        }
    }
}
