using System.Globalization;
using System.Net;
using System.Text;
using PatternQuality.ActiveLearning;

namespace PatternQuality.Cli.Reporting;

/// <summary>Writes learning curves as one self-contained HTML file (inline SVG, no scripts), in <c>pq report</c>'s style.</summary>
internal static class LearningCurveReportWriter
{
    private const int Width = 560;
    private const int Height = 360;
    private const int Pad = 50;
    private static readonly string[] _colours = ["#555555", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static string Render(string title, ActiveLearningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var points = result.Curves.Values.SelectMany(c => c).Where(p => double.IsFinite(p.Auc)).ToArray();
        var maxLabels = Math.Max(1, points.Length == 0 ? 1 : points.Max(p => p.Labels));
        var minAuc = points.Length == 0 ? 0.5 : Math.Floor(points.Min(p => p.Auc) * 50) / 50;
        var maxAuc = points.Length == 0 ? 1.0 : Math.Ceiling(points.Max(p => p.Auc) * 50) / 50;
        if (maxAuc <= minAuc)
        {
            maxAuc = minAuc + 0.02;
        }

        double X(int labels) => Pad + ((Width - (2 * Pad)) * labels / (double)maxLabels);
        double Y(double auc) => Height - Pad - ((Height - (2 * Pad)) * (auc - minAuc) / (maxAuc - minAuc));

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
          .Append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}svg text{font-size:11px}</style></head><body>\n")
          .Append("<h1>").Append(E(title)).Append("</h1>\n<p>Mean test AUC over ")
          .Append(result.Seeds.ToString(CultureInfo.InvariantCulture)).Append(" seed(s) against the number of labels.</p>\n")
          .Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width + 180}\" height=\"{Height}\" role=\"img\">")
          .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Pad}\" y=\"{Pad}\" width=\"{Width - (2 * Pad)}\" height=\"{Height - (2 * Pad)}\" fill=\"none\" stroke=\"#999\"/>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\">labels</text>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{Height / 2}\" transform=\"rotate(-90 12 {Height / 2})\" text-anchor=\"middle\">test AUC</text>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad - 4}\" y=\"{Y(minAuc):0.#}\" text-anchor=\"end\">{minAuc:0.00}</text>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad - 4}\" y=\"{Y(maxAuc) + 8:0.#}\" text-anchor=\"end\">{maxAuc:0.00}</text>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Pad}\" y=\"{Height - Pad + 14}\" text-anchor=\"end\">{maxLabels}</text>");
        var index = 0;
        foreach (var (name, curve) in result.Curves)
        {
            var colour = _colours[index % _colours.Length];
            var path = string.Join(" ", curve.Where(p => double.IsFinite(p.Auc)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Labels):0.#},{Y(p.Auc):0.#}")));
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"{(name == "random" ? 2.5 : 1.5)}\" points=\"{path}\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Pad + 10}\" y=\"{Pad + (16 * index) + 10}\" fill=\"{colour}\">{E(name)}</text>");
            index++;
        }

        return sb.Append("</svg>\n</body></html>\n").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
