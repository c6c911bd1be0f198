using SpeakUp.Core.Messaging;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Localization;

/// <summary>The command menu every channel publishes (Telegram's setMyCommands, /help).</summary>
public sealed class MenuCommandTests
{
    [Theory]
    [InlineData(BotCommands.Invite)]
    [InlineData(BotCommands.Leaderboard)]
    public void Referral_commands_are_in_the_menu(string command) => Assert.Contains(command, BotCommands.Menu);

    [Fact]
    public void Every_menu_command_is_described_in_every_language_within_telegrams_limits() =>
        Assert.All(
            WorkflowHarness.Localizer.Languages.SelectMany(lang => BotCommands.Menu.Select(command => (lang, command))),
            x =>
            {
                // Telegram: a command is 1-32 of a-z, 0-9, _; its description 1-256 characters.
                Assert.Matches("^[a-z0-9_]{1,32}$", x.command);
                var description = WorkflowHarness.Localizer.Plain(x.lang, BotCommands.DescriptionKey(x.command));
                Assert.InRange(description.Trim().Length, 1, 256);
            });

    [Fact]
    public void Help_lists_invite_and_leaderboard_with_their_hindi_descriptions()
    {
        var h = new WorkflowHarness().Join("hi").Command("help");

        Assert.Contains("/invite", h.Text);
        Assert.Contains(h.Say("hi", "command.invite"), h.Text);
        Assert.Contains("/leaderboard", h.Text);
        Assert.Contains(h.Say("hi", "command.leaderboard"), h.Text);
    }
}
