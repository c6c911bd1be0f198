using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Staff;

namespace SpeakUp.Admin;

/// <summary>
/// /admin/export/supporters.csv and /admin/export/submissions.csv (each optionally <c>?states=RJ,UP</c>) and /admin/stats:
/// the same data as /export and /stats in chat. Each CSV is written to the response row by row as Redis is walked, never
/// held in memory.
/// </summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/export/supporters.csv", ExportSupportersAsync);
        admin.MapGet("/export/submissions.csv", ExportSubmissionsAsync);
        admin.MapGet("/stats", async (IStatsReader stats, SpeakUp.Core.Campaigns.TodayClock clock, CancellationToken ct) =>
            Results.Json(await stats.ReadAsync(clock.Today, clock.Zone, 30, ct)));
        return admin;
    }

    private static Task<IResult> ExportSupportersAsync(HttpContext http, ISupporterExportSource source, IAuditLog audit, TimeProvider time, string? states, CancellationToken cancellationToken) =>
        StreamCsvAsync(http, audit, time, states, "supporters", (writer, scope) => SupporterCsv.WriteAsync(writer, source.ReadAsync(scope, cancellationToken), cancellationToken), cancellationToken);

    private static Task<IResult> ExportSubmissionsAsync(HttpContext http, ISubmissionExportSource source, IAuditLog audit, TimeProvider time, string? states, CancellationToken cancellationToken) =>
        StreamCsvAsync(http, audit, time, states, "submissions", (writer, scope) => SubmissionCsv.WriteAsync(writer, source.ReadAsync(scope, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>Checks the states, audits the export (<c>export.&lt;name&gt;</c>) and streams <c>&lt;name&gt;.csv</c> into the response.</summary>
    private static async Task<IResult> StreamCsvAsync(
        HttpContext http,
        IAuditLog audit,
        TimeProvider time,
        string? states,
        string name,
        Func<TextWriter, IReadOnlyList<string>?, Task<long>> write,
        CancellationToken cancellationToken)
    {
        if (!TryParseStates(states, out var scope))
        {
            return Results.BadRequest(new { error = "states must be state codes such as RJ,UP" });
        }

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), "api", "api-key", "export." + name, scope is null ? "all" : string.Join(',', scope)), cancellationToken);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, Csv.Utf8WithBom, 16 * 1024, leaveOpen: true);
        await write(writer, scope);
        return Results.Empty;
    }

    /// <summary><c>RJ,UP</c> (codes or names) → distinct state codes; empty → null (the whole country); false for an unknown state.</summary>
    private static bool TryParseStates(string? states, out IReadOnlyList<string>? scope)
    {
        scope = null;
        if (string.IsNullOrWhiteSpace(states))
        {
            return true;
        }

        var codes = states.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (codes.Length == 0 || codes.Any(c => IndianStates.Find(c) is null))
        {
            return false;
        }

        scope = [.. codes.Select(c => IndianStates.Find(c)!.Code).Distinct(StringComparer.Ordinal)];
        return true;
    }
}
