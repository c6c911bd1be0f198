using System.Text;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Broadcasts;

/// <summary>Which campaigns a supporter joined: what the "campaign joined" audience filter is built from.</summary>
public sealed class CampaignJoinedTests
{
    /// <summary>1 December 2026, 09:30 in India: the first day of the Jobs campaign.</summary>
    private static readonly DateTimeOffset JobsMorning = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Joining_through_a_campaign_link_joins_that_campaign_not_the_one_running_today()
    {
        var h = new WorkflowHarness().Command("start", "c_jobs").Press("l:hi").Press("c:y").Press("s:RJ");

        Assert.Equal(["jobs"], h.Session.Campaigns);
    }

    [Fact]
    public void Joining_without_a_link_joins_the_campaign_running_that_day()
    {
        var h = new WorkflowHarness().Join();

        Assert.Equal(["farmers"], h.Session.Campaigns);
    }

    [Fact]
    public void Joining_on_a_day_without_a_campaign_joins_none()
    {
        var h = new WorkflowHarness(now: new DateTimeOffset(2026, 11, 10, 4, 0, 0, TimeSpan.Zero)).Join();

        Assert.True(h.Session.IsJoined);
        Assert.Empty(h.Session.Campaigns);
    }

    [Fact]
    public void Opening_a_campaign_link_during_onboarding_only_preselects_until_joining_finishes()
    {
        var h = new WorkflowHarness().Command("start", "c_jobs").Press("l:hi");

        Assert.Equal("jobs", h.Session.CampaignId);
        Assert.Empty(h.Session.Campaigns);
    }

    [Fact]
    public void A_joined_supporter_who_opens_another_campaigns_link_joins_it_too_once()
    {
        var h = new WorkflowHarness().Join();

        h.Command("start", "c_jobs").Command("start", "c_jobs").Command("start", "c_farmers");

        Assert.Equal(["farmers", "jobs"], h.Session.Campaigns);
    }

    [Fact]
    public void An_opted_out_supporter_who_comes_back_through_a_campaign_link_joins_it()
    {
        var h = new WorkflowHarness().Join().Command("stop").Press("ok");
        Assert.Equal(SupporterState.OptedOut, h.Session.State);

        h.Command("start", "c_jobs");

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Equal(["farmers", "jobs"], h.Session.Campaigns);
    }

    [Fact]
    public void A_link_to_a_campaign_not_in_the_calendar_joins_nothing()
    {
        var h = new WorkflowHarness(now: JobsMorning).Join();

        h.Command("start", "c_nosuchcampaign");

        Assert.Equal(["jobs"], h.Session.Campaigns);
    }

    [Fact]
    public void A_session_stored_before_campaigns_were_recorded_loads_and_keeps_its_link_when_it_joins_another()
    {
        // The JSON a joined supporter's session had before the "campaigns" field existed.
        var json = """{"state":"Joined","language":"hi","optedIn":true,"stateCode":"RJ","campaignId":"farmers","joinedAt":"2026-11-20T04:00:00+00:00","recentDeliveries":[],"submittedFiles":[]}""";
        var session = SessionJson.Deserialize(Encoding.UTF8.GetBytes(json));
        session.Chat = new ChatKey("tg", "42");
        Assert.Empty(session.Campaigns);

        session.JoinCampaign("jobs");

        Assert.Equal(["farmers", "jobs"], session.Campaigns);
        Assert.Equal(["farmers", "jobs"], session.Snapshot().Campaigns);
    }

    [Fact]
    public void The_campaigns_survive_a_round_trip_through_the_stored_json()
    {
        var h = new WorkflowHarness().Join().Command("start", "c_jobs");

        var loaded = SessionJson.Deserialize(SessionJson.Serialize(h.Session));

        Assert.Equal(["farmers", "jobs"], loaded.Campaigns);
    }

    [Fact]
    public void Snapshots_with_the_same_campaigns_are_equal_so_the_indexes_are_left_alone()
    {
        var h = new WorkflowHarness().Join();
        var before = h.Session.Snapshot();

        h.Command("today");
        var unchanged = h.Session.Snapshot();
        h.Command("start", "c_jobs");
        var joinedAnother = h.Session.Snapshot();

        Assert.Equal(before, unchanged);
        Assert.Equal(before.GetHashCode(), unchanged.GetHashCode());
        Assert.NotEqual(unchanged, joinedAnother);
    }

    [Fact]
    public void A_snapshot_made_without_campaigns_has_none()
    {
        var snapshot = new SupporterSnapshot(new ChatKey("tg", "1"), true, true, "RJ", "hi", false, WorkflowHarness.Morning);

        Assert.Empty(snapshot.Campaigns);
        Assert.Equal(snapshot, snapshot with { Campaigns = new CampaignIds([]) });
    }

    [Fact]
    public void The_campaign_of_the_day_is_read_in_the_bot_time_zone()
    {
        // 30 November 2026, 20:00 UTC is already 1 December in India: the Jobs campaign's first day.
        var h = new WorkflowHarness(now: new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero)).Join();

        Assert.Equal(["jobs"], h.Session.Campaigns);
    }
}
