namespace SpeakUp.Core.Staff;

/// <summary>One staff action: who did what to which item, and when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string ActorChannel, string ActorId, string Action, string? Item = null, string? Detail = null);

/// <summary>Every admin and moderator action is recorded here (roles, campaigns, broadcasts, reviews, exports).</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest entries first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken);
}
