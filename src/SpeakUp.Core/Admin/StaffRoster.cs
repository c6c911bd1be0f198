using SpeakUp.Core.Geography;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Admin;

/// <summary>The staff roles, one per person. Stored by name, so renaming one is a data migration.</summary>
public enum StaffRole
{
    /// <summary>From Bot:AdminIds only; cannot be given or taken from chat.</summary>
    Owner,
    Admin,
    Moderator,

    /// <summary>A state coordinator, scoped to <see cref="StaffMember.States"/>.</summary>
    Coordinator,
}

/// <summary>One person on the staff roster.</summary>
public sealed record StaffMember(string UserId, StaffRole Role, IReadOnlyList<string> States, string? AddedBy, DateTimeOffset AddedAt)
{
    public UserRoles ToRoles() => Role switch
    {
        StaffRole.Owner => new UserRoles(true, true, false, []),
        StaffRole.Admin => new UserRoles(false, true, false, []),
        StaffRole.Moderator => new UserRoles(false, false, true, []),
        _ => new UserRoles(false, false, false, States),
    };
}

/// <summary>The staff roster (roles by user id), stored durably and shared by every host instance.</summary>
public interface IRoleStore
{
    Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Gives a person a role (replacing the one they had).</summary>
    Task SetAsync(StaffMember member, CancellationToken cancellationToken);

    /// <summary>Takes a person's role away; false when they had none.</summary>
    Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>Who may change whose role. Owners come from configuration and are never changed from chat.</summary>
public static class RolePolicy
{
    /// <summary>Owners appoint admins; owners and admins appoint moderators and coordinators.</summary>
    public static bool CanAssign(UserRoles actor, StaffRole role)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return role switch
        {
            StaffRole.Owner => false,
            StaffRole.Admin => actor.IsOwner,
            _ => actor.IsCentral,
        };
    }

    /// <summary>The same rule for taking a role away (and for replacing it).</summary>
    public static bool CanChange(UserRoles actor, StaffMember? current)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return current is null ? actor.IsCentral : CanAssign(actor, current.Role);
    }

    /// <summary>Parses "admin", "moderator", "coordinator" (and the Hindi words); null for anything else, including owner.</summary>
    public static StaffRole? ParseRole(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "admin" or "एडमिन" => StaffRole.Admin,
        "moderator" or "mod" or "मॉडरेटर" => StaffRole.Moderator,
        "coordinator" or "coord" or "राज्य समन्वयक" or "समन्वयक" => StaffRole.Coordinator,
        _ => null,
    };

    /// <summary>State codes from "RJ,UP" or "Rajasthan, Uttar Pradesh"; null when any part is not a state.</summary>
    public static IReadOnlyList<string>? ParseStates(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var codes = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var code = IndianStates.Find(part)?.Code ?? StateMatcher.Match(part);
            if (code is null)
            {
                return null;
            }

            if (!codes.Contains(code, StringComparer.Ordinal))
            {
                codes.Add(code);
            }
        }

        return codes.Count == 0 ? null : codes;
    }
}

/// <summary>
/// A staff command waiting for its next message (e.g. "/admins add coordinator RJ" waiting for a forwarded message from
/// the person), kept per staff user for a few minutes and shared by every instance.
/// </summary>
public interface IStaffDrafts
{
    /// <summary>Saves the user's draft of one kind ("role", "campaign"), replacing the one they had.</summary>
    Task SaveAsync(string userId, string kind, string draft, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Returns and deletes the user's draft of that kind, or null when there is none (or it expired).</summary>
    Task<string?> TakeAsync(string userId, string kind, CancellationToken cancellationToken);
}
