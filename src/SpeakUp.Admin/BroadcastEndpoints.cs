using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Geography;

namespace SpeakUp.Admin;

/// <summary>The body of <c>POST /admin/broadcasts</c>.</summary>
public sealed record BroadcastRequest(BroadcastContent? Content, BroadcastAudience? Audience, DateTimeOffset? ScheduledAt);

/// <summary>Broadcasts over HTTP: create, read, list, cancel. The group's filter has already checked the bearer key.</summary>
public static class BroadcastEndpoints
{
    public static RouteGroupBuilder MapBroadcastEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapPost("/broadcasts", CreateAsync);
        admin.MapGet("/broadcasts", async (BroadcastService broadcasts, int? count, CancellationToken ct) =>
            Results.Json(await broadcasts.ListAsync(Math.Clamp(count ?? 20, 1, 200), ct), BroadcastJson.Default.IReadOnlyListBroadcastJobInfo));
        admin.MapGet("/broadcasts/{id}", async (BroadcastService broadcasts, string id, CancellationToken ct) =>
            await broadcasts.GetAsync(id, ct) is { } job ? Results.Json(job, BroadcastJson.Default.BroadcastJobInfo) : Results.NotFound());
        admin.MapPost("/broadcasts/{id}/cancel", async (BroadcastService broadcasts, string id, CancellationToken ct) =>
            await broadcasts.CancelAsync(id, "api", null, ct) switch
            {
                null => Results.NotFound(),
                false => Results.Conflict(new { error = "the broadcast has already finished" }),
                true => Results.Json(await broadcasts.GetAsync(id, ct), BroadcastJson.Default.BroadcastJobInfo),
            });
        return admin;
    }

    private static async Task<IResult> CreateAsync(BroadcastService broadcasts, ICampaignCalendar calendar, BroadcastRequest? request, CancellationToken cancellationToken)
    {
        if (request?.Content is null)
        {
            return Results.BadRequest(new { error = "content is required" });
        }

        var audience = request.Audience ?? new BroadcastAudience();
        if (audience.Chats.Count > 0)
        {
            return Results.BadRequest(new { error = "audience.chats is not accepted by the API" });
        }

        var unknown = audience.States.FirstOrDefault(s => IndianStates.All.All(st => st.Code != s));
        if (unknown is not null)
        {
            return Results.BadRequest(new { error = $"unknown state code '{unknown}'" });
        }

        // A typo would quietly reach nobody: only campaigns of the calendar (past, current or upcoming) are accepted.
        var unknownCampaign = audience.Campaigns.FirstOrDefault(c => calendar.Find(c) is null);
        if (unknownCampaign is not null)
        {
            return Results.BadRequest(new { error = $"unknown campaign '{unknownCampaign}'" });
        }

        var definition = new BroadcastDefinition { Kind = BroadcastKind.Message, Content = request.Content, Audience = audience, CreatedBy = "api" };
        var result = await broadcasts.CreateAsync(definition, request.ScheduledAt, roles: null, cancellationToken);
        return result.Job is { } job
            ? Results.Json(job, BroadcastJson.Default.BroadcastJobInfo, statusCode: StatusCodes.Status201Created)
            : Results.BadRequest(new { error = result.Error });
    }
}
