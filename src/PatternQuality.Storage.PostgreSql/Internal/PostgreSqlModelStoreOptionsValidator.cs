using Microsoft.Extensions.Options;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>Validates <see cref="PostgreSqlModelStoreOptions"/> the Microsoft.Extensions way (every problem at once).</summary>
internal sealed class PostgreSqlModelStoreOptionsValidator : IValidateOptions<PostgreSqlModelStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
