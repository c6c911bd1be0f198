using SpeakUp.Core.Admin;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Tests.Admin;

/// <summary>What each stored role allows: the rules broadcasts, reviews and exports check on the server.</summary>
public sealed class UserRolesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(StaffRole.Coordinator, "RJ", true)]
    [InlineData(StaffRole.Coordinator, "RJ,UP", true)]
    [InlineData(StaffRole.Coordinator, "RJ,DL", false)]
    [InlineData(StaffRole.Coordinator, "DL", false)]
    [InlineData(StaffRole.Coordinator, "", false)]
    [InlineData(StaffRole.Admin, "", true)]
    [InlineData(StaffRole.Admin, "DL", true)]
    [InlineData(StaffRole.Moderator, "RJ", false)]
    [InlineData(StaffRole.Owner, "", true)]
    public void Broadcast_audience_allowed_by_role(StaffRole role, string states, bool allowed)
    {
        var roles = Member(role).ToRoles();
        var audience = states.Length == 0 ? null : states.Split(',');

        Assert.Equal(allowed, roles.CanBroadcastTo(audience));
    }

    [Theory]
    [InlineData(StaffRole.Coordinator, "RJ", true)]
    [InlineData(StaffRole.Coordinator, "UP", true)]
    [InlineData(StaffRole.Coordinator, "DL", false)]
    [InlineData(StaffRole.Coordinator, null, false)]
    [InlineData(StaffRole.Moderator, "DL", true)]
    [InlineData(StaffRole.Admin, "DL", true)]
    public void Review_allowed_by_role_and_state(StaffRole role, string? state, bool allowed) =>
        Assert.Equal(allowed, Member(role).ToRoles().CanReview(state));

    [Fact]
    public void Only_owners_are_owners_and_every_role_is_staff()
    {
        Assert.True(Member(StaffRole.Owner).ToRoles().IsOwner);
        Assert.False(Member(StaffRole.Admin).ToRoles().IsOwner);
        Assert.All(Enum.GetValues<StaffRole>(), r => Assert.True(Member(r).ToRoles().IsStaff));
        Assert.False(UserRoles.Supporter.IsStaff);
    }

    private static StaffMember Member(StaffRole role) => new("5", role, role == StaffRole.Coordinator ? ["RJ", "UP"] : [], "1", At);
}
