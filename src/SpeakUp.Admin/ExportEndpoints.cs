using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Staff;

namespace SpeakUp.Admin;

/// <summary>
/// /admin/export/supporters.csv (optionally <c>?states=RJ,UP</c>) and /admin/stats: the same data as /export and /stats in
/// chat. The CSV is written to the response row by row as the indexes are walked, never held in memory.
/// </summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/export/supporters.csv", ExportSupportersAsync);
        admin.MapGet("/stats", async (IStatsReader stats, SpeakUp.Core.Campaigns.TodayClock clock, CancellationToken ct) =>
            Results.Json(await stats.ReadAsync(clock.Today, clock.Zone, 30, ct)));
        return admin;
    }

    private static async Task<IResult> ExportSupportersAsync(HttpContext http, ISupporterExportSource source, IAuditLog audit, TimeProvider time, string? states, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? scope = null;
        if (!string.IsNullOrWhiteSpace(states))
        {
            var codes = states.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (codes.Any(c => IndianStates.Find(c) is null))
            {
                return Results.BadRequest(new { error = "states must be state codes such as RJ,UP" });
            }

            scope = [.. codes.Select(c => IndianStates.Find(c)!.Code).Distinct(StringComparer.Ordinal)];
        }

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), "api", "api-key", "export.supporters", scope is null ? "all" : string.Join(',', scope)), cancellationToken);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"supporters.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, Csv.Utf8WithBom, 16 * 1024, leaveOpen: true);
        await SupporterCsv.WriteAsync(writer, source.ReadAsync(scope, cancellationToken), cancellationToken);
        return Results.Empty;
    }
}
