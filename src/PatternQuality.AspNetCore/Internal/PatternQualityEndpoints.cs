using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Versioning;

namespace PatternQuality.AspNetCore.Internal;

/// <summary>The request handlers behind <c>MapPatternQuality</c>, over the services the hosted lifecycle registers.</summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
internal sealed class PatternQualityEndpoints<TPattern>(Func<JsonNode?, TPattern> readPattern)
{
    public async Task<IResult> ScoreAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        if (services.GetRequiredService<QualityModelHolder>().Current is null)
        {
            // Not the default score: a client should know it is not getting a model's judgement yet.
            var held = await services.GetRequiredService<IFeedbackStore<TPattern>>().CountAsync(cancellationToken).ConfigureAwait(false);
            var minimum = services.GetRequiredService<IOptions<PatternQualityHostingOptions>>().Value.MinimumFeedbackForFirstTraining;
            return Error(StatusCodes.Status503ServiceUnavailable, string.Create(
                CultureInfo.InvariantCulture,
                $"no model yet: the first one is trained once {minimum} feedback records exist ({held} so far); POST /feedback"));
        }

        var body = await ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body?["rows"] is not JsonArray items)
        {
            return Error(StatusCodes.Status400BadRequest, "\"rows\" must be an array of patterns, one per row");
        }

        var patterns = new TPattern[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!TryRead(items[i], $"rows[{i}]", out patterns[i], out var error))
            {
                return Error(StatusCodes.Status400BadRequest, error);
            }
        }

        // The scores and the version of the model that gave them are read together (the learner's base version for its
        // unsaved updates: the version a restart would load and pq predict scores with). Reading the version after
        // scoring raced the adoption of a rollback: the previous model's scores were then named with the new version.
        // With a prediction log the served scores are recorded under ids the feedback then carries; without one the
        // answer is exactly pq serve's.
        var recorder = services.GetService<PredictionRecorder>();
        string[]? ids = null;
        string? user = null;
        if (recorder is not null && !TryReadPredictionIds(body, items.Count, out ids, out user, out var idError))
        {
            return Error(StatusCodes.Status400BadRequest, idError);
        }

        var served = services.GetRequiredService<PatternScorer<TPattern>>().ScoreServed(patterns);
        var answer = new JsonObject
        {
            ["version"] = served.Version,
            ["scores"] = new JsonArray(served.Scores.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        };
        if (recorder is not null && ids is not null)
        {
            // A default score (the model went away between the check above and scoring) is no model's prediction.
            if (served.Version is { } version)
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    recorder.TryRecord(ids[i], version, served.Scores[i], user);
                }
            }

            answer["predictionIds"] = new JsonArray(ids.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray());
        }

        return Results.Json(answer);
    }

    // The ids of the predictions: the client's ("ids", one per row: its own suggestion ids), or new ones. Feedback that
    // carries a prediction's id as its "id" closes it.
    private static bool TryReadPredictionIds(JsonNode body, int count, out string[] ids, out string? user, out string error)
    {
        ids = new string[count];
        user = null;
        error = string.Empty;
        if (body["userId"] is { } userNode)
        {
            if (userNode is not JsonValue userValue || !userValue.TryGetValue(out user) || string.IsNullOrWhiteSpace(user))
            {
                error = "\"userId\" must be a non-empty string";
                return false;
            }
        }

        if (body["ids"] is not { } idsNode)
        {
            for (var i = 0; i < count; i++)
            {
                ids[i] = Guid.CreateVersion7().ToString("N");
            }

            return true;
        }

        if (idsNode is not JsonArray given || given.Count != count)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"\"ids\" must be an array of one id per row ({count})");
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (given[i] is not JsonValue value || !value.TryGetValue<string>(out var id) || string.IsNullOrWhiteSpace(id))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"ids[{i}] must be a non-empty string");
                return false;
            }

            ids[i] = id;
        }

        return true;
    }

    public async Task<IResult> FeedbackAsync(HttpContext context)
    {
        // Taken with or without a model: before the first one exists, feedback is what it is trained from.
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        var body = await ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body?["records"] is not JsonArray items)
        {
            return Error(StatusCodes.Status400BadRequest, "the body must be {\"records\":[{\"id\":\"...\",\"row\":{...},\"approved\":true},...]}");
        }

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var records = new List<FeedbackRecord<TPattern>>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var id = item?["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
            if (id is null || item?["approved"] is not JsonValue approvedValue || !approvedValue.TryGetValue<bool>(out var approved))
            {
                return Error(StatusCodes.Status400BadRequest, $"records[{i}] needs a non-empty \"id\" and a boolean \"approved\"");
            }

            if (!TryRead(item["row"], $"records[{i}].row", out var pattern, out var error))
            {
                return Error(StatusCodes.Status400BadRequest, error);
            }

            var at = item["timestamp"] is JsonValue t && t.TryGetValue<DateTimeOffset>(out var stamp) ? stamp : time.GetUtcNow();
            var user = item["userId"] is JsonValue u && u.TryGetValue<string>(out var userId) ? userId : null;
            records.Add(new FeedbackRecord<TPattern>(id, 0, pattern, approved ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, at) { UserId = user });
        }

        // 202 only once the records are durable (fsync'd); the learner picks them up from there.
        var result = await services.GetRequiredService<FeedbackIngestion<TPattern>>().SubmitAsync(records, cancellationToken).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["accepted"] = result.Accepted.Count, ["duplicates"] = result.Duplicates }, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> StatusAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        var learner = services.GetRequiredService<PatternQualityHostedService<TPattern>>().Learner;
        var feedback = services.GetRequiredService<IFeedbackStore<TPattern>>();
        var version = learner?.BaseVersion ?? services.GetRequiredService<QualityModelHolder>().Current?.Info.Version;
        string? parent = null;
        if (version is not null)
        {
            var versions = await services.GetRequiredService<ModelVersionManager>().ListAsync(cancellationToken).ConfigureAwait(false);
            parent = versions.FirstOrDefault(v => v.Version == version)?.ParentVersion;
        }

        var prequential = learner?.GetPrequentialMetrics();

        // Pending: held records the served model has not learned, those after the learner's watermark (the first model
        // or a retrain learned the ones before it, without the learner counting them as consumed).
        long pending;
        if (learner is null)
        {
            pending = await feedback.CountAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            pending = 0;
            await foreach (var _ in feedback.ReadAsync(learner.Watermark, cancellationToken).ConfigureAwait(false))
            {
                pending++;
            }
        }

        return Results.Json(new JsonObject
        {
            ["version"] = version,
            ["parent"] = parent,
            ["consumed"] = learner?.ConsumedCount ?? 0,
            ["pending"] = pending,
            ["updates"] = learner?.UpdateCount ?? 0,
            ["prequential"] = new JsonObject { ["auc"] = Finite(prequential?.Auc), ["logloss"] = Finite(prequential?.LogLoss) },
        });
    }

    // A gated full retrain now, the same path as the schedule's; 409 while another one runs (here or in another process).
    public async Task<IResult> RetrainAsync(HttpContext context)
    {
        var lifecycle = context.RequestServices.GetRequiredService<PatternQualityHostedService<TPattern>>();
        ModelProposalResult? proposal;
        try
        {
            proposal = await lifecycle.RetrainAsync("POST /retrain", context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // No feedback yet, or one outcome only: nothing to train on (the health check reports the failure too).
            return Error(StatusCodes.Status409Conflict, ex.Message);
        }

        return proposal is null
            ? Error(StatusCodes.Status409Conflict, "a training is already running, in this process or in another one on the store")
            : Results.Json(new JsonObject
            {
                ["version"] = proposal.Version.Version,
                ["promoted"] = proposal.Promoted,
                ["champion"] = proposal.PreviousActiveVersion,
                ["decision"] = proposal.Decision.Reason,
            });
    }

    public static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new JsonObject { ["status"] = entry.Status.ToString(), ["description"] = entry.Description };
        }

        return context.Response.WriteAsync(new JsonObject { ["status"] = report.Status.ToString(), ["checks"] = checks }.ToJsonString(), context.RequestAborted);
    }

    private static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool TryRead(JsonNode? node, string path, out TPattern pattern, out string error)
    {
        try
        {
            pattern = readPattern(node);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException)
        {
            pattern = default!;
            error = $"{path} {ex.Message}";
            return false;
        }
    }

    private static JsonNode? Finite(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static IResult Error(int status, string message) => Results.Json(new JsonObject { ["error"] = message }, statusCode: status);
}
