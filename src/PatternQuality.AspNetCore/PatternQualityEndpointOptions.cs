using System.Text.Json;
using System.Text.Json.Nodes;
using PatternQuality.Scoring;

namespace PatternQuality.AspNetCore;

/// <summary>How the endpoints <c>MapPatternQuality&lt;TPattern&gt;()</c> maps read patterns from request bodies.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// Patterns arrive as JSON: the elements of <c>rows</c> in <c>POST /score</c> and the <c>row</c> of each record in
/// <c>POST /feedback</c>. By default a pattern of type <c>IReadOnlyDictionary&lt;string, string?&gt;</c> (a row of named
/// columns, as <see cref="QualityModel.CreateRowExtractor"/> reads) is read as every value's text, numbers exactly as
/// written, and must have every column in <see cref="RequiredColumns"/>; any other type is deserialized with the
/// host's JSON options (<c>Microsoft.AspNetCore.Http.Json.JsonOptions</c>).
/// </remarks>
public class PatternQualityEndpointOptions<TPattern>
{
    /// <summary>Gets or sets how one pattern is read from its JSON, or <see langword="null"/> for the default reader.</summary>
    /// <value>
    /// The default value is <see langword="null"/>. A reader throws <see cref="FormatException"/> or
    /// <see cref="JsonException"/> for a pattern it cannot read: the request is answered 400 with the pattern's place in
    /// the body followed by the exception's message (for example <c>rows[2] lacks the model's input column 'age'</c>).
    /// </value>
    public Func<JsonNode?, TPattern>? ReadPattern { get; set; }

    /// <summary>Gets or sets the columns every row must have, for rows of named columns read by the default reader.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: the input columns of the served model
    /// (<see cref="QualityModel.Columns"/>), none while no model is served or the model has no column mapping. Set it
    /// when the rows' columns are known before the first model is trained (from a sample file, for example).
    /// </value>
    public IReadOnlyList<string>? RequiredColumns { get; set; }
}
