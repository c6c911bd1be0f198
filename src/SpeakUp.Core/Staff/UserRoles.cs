namespace SpeakUp.Core.Staff;

/// <summary>What a person may do. Always looked up on the server by the presser's user id, never read from a button.</summary>
public sealed record UserRoles(bool IsOwner, bool IsAdmin, bool IsModerator, IReadOnlyList<string> CoordinatorStates)
{
    public static readonly UserRoles Supporter = new(false, false, false, []);

    /// <summary>Owners and admins act for the whole country.</summary>
    public bool IsCentral => IsOwner || IsAdmin;

    /// <summary>Anyone with any staff role (checked before staff flows are even looked at).</summary>
    public bool IsStaff => IsCentral || IsModerator || CoordinatorStates.Count > 0;

    /// <summary>May review submissions (of a state, when given).</summary>
    public bool CanReview(string? stateCode = null) =>
        IsCentral || IsModerator || (stateCode is not null && CoordinatorStates.Contains(stateCode, StringComparer.Ordinal));

    /// <summary>May broadcast to supporters of all the given states (null or empty = the whole country, central roles only).</summary>
    public bool CanBroadcastTo(IReadOnlyCollection<string>? states) =>
        IsCentral || (states is { Count: > 0 } && CoordinatorStates.Count > 0 && states.All(s => CoordinatorStates.Contains(s, StringComparer.Ordinal)));
}

/// <summary>Looks up a person's roles by channel and user id.</summary>
public interface IRoleDirectory
{
    Task<UserRoles> GetAsync(string channel, string? userId, CancellationToken cancellationToken);
}

/// <summary>
/// Roles from configuration: Bot:AdminIds are owners, Bot:ModeratorIds moderators. Telegram user ids; the web simulator
/// acts as a Telegram user id too, so both channels check the same lists. A Redis-backed directory seeded from the same
/// settings can replace this one.
/// </summary>
public sealed class ConfiguredRoleDirectory(Microsoft.Extensions.Options.IOptions<BotOptions> options) : IRoleDirectory
{
    public Task<UserRoles> GetAsync(string channel, string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return Task.FromResult(UserRoles.Supporter);
        }

        var owner = options.Value.AdminIds.Contains(userId, StringComparer.Ordinal);
        var moderator = options.Value.ModeratorIds.Contains(userId, StringComparer.Ordinal);
        return Task.FromResult(owner || moderator ? new UserRoles(owner, owner, moderator, []) : UserRoles.Supporter);
    }
}
