using Npgsql;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>Turns <c>postgresql://</c> URLs into options, and names a store for messages without its password.</summary>
internal static class PostgreSqlLocation
{
    /// <summary>Whether <paramref name="value"/> reads as an Npgsql connection string (a <c>Host=</c> or <c>Server=</c> key), not a path.</summary>
    public static bool LooksLikeConnectionString(string value) =>
        value.Contains('=', StringComparison.Ordinal) &&
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(part => part.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || part.StartsWith("Server=", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses <c>postgresql://[user[:password]@]host[:port][/database][?key=value&amp;...]</c>.</summary>
    /// <exception cref="ArgumentException">The URL is malformed or has a parameter Npgsql does not know; the message never holds the password.</exception>
    public static PostgreSqlModelStoreOptions FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(url)}' is not a PostgreSQL URL; expected postgresql://user@host:port/database.", nameof(url));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.DnsSafeHost };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        var options = new PostgreSqlModelStoreOptions();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            switch (key.ToLowerInvariant())
            {
                case "schema":
                    options.Schema = value;
                    break;
                case "model_type":
                    options.ModelType = value;
                    break;
                default:
                    try
                    {
                        // Anything else is an Npgsql keyword (sslmode, timeout, ...): unknown ones are refused, not ignored.
                        builder[key] = value;
                    }
                    catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
                    {
                        throw new ArgumentException($"The PostgreSQL URL '{Redact(url)}' has parameter '{key}', which is neither schema, model_type nor an Npgsql connection string keyword with a valid value: {ex.Message}", nameof(url), ex);
                    }

                    break;
            }
        }

        options.ConnectionString = builder.ConnectionString;
        return options;
    }

    /// <summary>Names a store for messages and exceptions: <c>postgresql://user@host:port/database#schema.ml_models/model_type</c>, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder, string schema, string modelType) =>
        $"postgresql://{(string.IsNullOrEmpty(builder.Username) ? string.Empty : builder.Username + "@")}{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}#{schema}.ml_models/{modelType}";

    private static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return url;
        }

        var colon = url.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? string.Concat(url.AsSpan(0, colon), ":***", url.AsSpan(at)) : url;
    }
}
