using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Workflow;

/// <summary>
/// The workflow reuses its configured state machines from one event to the next: nothing of one event may reach another,
/// and events handled on several threads at once must come out as if handled one by one.
/// </summary>
public sealed class WorkflowReuseTests
{
    private static InboundEvent Start(ChatKey chat, string? argument = null) =>
        new() { Chat = chat, Kind = InboundKind.Command, Command = "start", Argument = argument, UserId = chat.ChatId };

    private static InboundEvent Press(ChatKey chat, string data) =>
        new() { Chat = chat, Kind = InboundKind.Button, ButtonData = data, UserId = chat.ChatId, SourceMessageId = "501" };

    private static InboundEvent Today(ChatKey chat) => new() { Chat = chat, Kind = InboundKind.Command, Command = "today", UserId = chat.ChatId };

    [Fact]
    public void The_replies_of_one_event_stay_as_they_were_after_the_next_event()
    {
        var workflow = new WorkflowHarness().Workflow;
        var first = new ChatKey("tg", "1");
        var second = new ChatKey("tg", "2");

        var firstResult = workflow.Handle(Session.New(first, WorkflowHarness.Morning), Start(first));
        var before = firstResult.Replies.Select(r => (r.Chat, r.Text.ToPlainText())).ToList();
        workflow.Handle(Session.New(second, WorkflowHarness.Morning), Press(second, "c:y"));

        Assert.NotEmpty(before);
        Assert.All(before, reply => Assert.Equal(first, reply.Chat));
        Assert.Equal(before, firstResult.Replies.Select(r => (r.Chat, r.Text.ToPlainText())));
    }

    [Fact]
    public void A_deep_link_of_one_supporter_is_not_applied_to_the_next()
    {
        var workflow = new WorkflowHarness().Workflow;
        var first = Session.New(new ChatKey("tg", "1"), WorkflowHarness.Morning);
        var second = Session.New(new ChatKey("tg", "2"), WorkflowHarness.Morning);

        workflow.Handle(first, Start(first.Chat, "c_farmers"));
        workflow.Handle(second, Start(second.Chat));

        Assert.Equal("farmers", first.CampaignId);
        Assert.Null(second.CampaignId);
    }

    [Fact]
    public void Events_handled_on_many_threads_at_once_get_the_same_replies_as_one_by_one()
    {
        var chats = Enumerable.Range(1, 200).Select(i => new ChatKey("tg", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        static List<string> Walk(Core.Workflow.SupporterWorkflow workflow, ChatKey chat)
        {
            var session = Session.New(chat, WorkflowHarness.Morning);
            var language = int.Parse(chat.ChatId, System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "hi" : "en";
            InboundEvent[] steps = [Start(chat), Press(chat, "l:" + language), Press(chat, "c:y"), Press(chat, "p:1"), Press(chat, "s:RJ"), Today(chat)];
            var replies = new List<string>();
            foreach (var step in steps)
            {
                replies.AddRange(workflow.Handle(session, step).Replies.Select(r => r.Chat + " " + r.Text.ToPlainText()));
            }

            replies.Add(session.State + " " + session.Language + " " + session.StateCode);
            return replies;
        }

        var oneByOne = new WorkflowHarness().Workflow;
        var expected = chats.Select(chat => Walk(oneByOne, chat)).ToList();

        var shared = new WorkflowHarness().Workflow;
        var actual = new List<string>[chats.Count];
        Parallel.For(0, chats.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Walk(shared, chats[i]));

        Assert.Equal(expected, actual);
        Assert.All(actual, replies => Assert.Equal("Joined", replies[^1].Split(' ')[0]));
    }
}
