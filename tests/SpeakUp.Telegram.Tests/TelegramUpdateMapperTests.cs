using System.Text.Json;
using SpeakUp.Core.Messaging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram.Tests;

public class TelegramUpdateMapperTests
{
    /// <summary>Every fixture in shared/fixtures/telegram and what it must become. A new fixture without an entry fails the guard test.</summary>
    private static readonly Dictionary<string, InboundKind?> Expected = new()
    {
        ["nutgram_callback_query"] = InboundKind.Button,
        ["nutgram_command_with_parameters"] = InboundKind.Command,
        ["nutgram_edited_message"] = null,
        ["nutgram_photo"] = InboundKind.Media,
        ["nutgram_video"] = InboundKind.Media,
        ["nutgram_video_note"] = InboundKind.Media,
        ["nutgram_voice"] = InboundKind.Media,
        ["teloxide_my_chat_member_kicked_private"] = InboundKind.Blocked,
        ["teloxide_private_text_message"] = InboundKind.Text,
        ["teloxide_supergroup_command_reply"] = null,
        ["tg_official_callback_query"] = null,
        ["tg_official_edited_message"] = null,
        ["tg_official_message_text_start"] = InboundKind.Command,
        ["tg_official_voice"] = InboundKind.Media,
        ["zbase_start_deeplink_payload"] = InboundKind.Command,
    };

    public static TheoryData<string> FixtureNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.Names)
        {
            data.Add(name);
        }

        return data;
    }

    private static Update Load(string name) =>
        JsonSerializer.Deserialize<Update>(Fixtures.Read(name), JsonBotAPI.Options) ?? throw new InvalidOperationException(name + " is null");

    private static InboundEvent MapOk(string name)
    {
        var mapped = TelegramUpdateMapper.Map(Load(name));
        Assert.True(mapped.Event is not null, $"{name} was skipped: {mapped.SkipReason}");
        return mapped.Event!;
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Every_fixture_deserializes_and_maps_to_its_expected_kind(string fixture)
    {
        Assert.True(Expected.ContainsKey(fixture), $"No expectation for fixture {fixture}: add it to {nameof(Expected)}.");
        var mapped = TelegramUpdateMapper.Map(Load(fixture));

        Assert.Equal(Expected[fixture], mapped.Event?.Kind);
        if (mapped.Event is null)
        {
            Assert.False(string.IsNullOrWhiteSpace(mapped.SkipReason));
        }
        else
        {
            Assert.Equal("tg", mapped.Event.Chat.Channel);
            Assert.NotNull(mapped.Event.DeliveryId);
        }
    }

    [Fact]
    public void Fixtures_folder_holds_every_expected_fixture()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), Fixtures.Names);
    }

    [Fact]
    public void Official_start_maps_to_start_command_without_argument()
    {
        var e = MapOk("tg_official_message_text_start");

        Assert.Equal(new ChatKey("tg", "1111111"), e.Chat);
        Assert.Equal("start", e.Command);
        Assert.Null(e.Argument);
        Assert.Equal("10000", e.DeliveryId);
        Assert.Equal("1111111", e.UserId);
        Assert.Equal("Test Firstname", e.FirstName);
        Assert.Null(e.ClientLanguage);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1441645532), e.SentAt);
    }

    [Fact]
    public void Deep_link_start_keeps_the_payload_as_argument()
    {
        var e = MapOk("zbase_start_deeplink_payload");

        Assert.Equal(InboundKind.Command, e.Kind);
        Assert.Equal("start", e.Command);
        Assert.Equal("MzfzuUGk5Wb4WNSkpeCQahA35J3GrZ5E", e.Argument);
        Assert.Equal("798236645", e.DeliveryId);
        Assert.Equal("81803240", e.UserId);
    }

    [Fact]
    public void Command_without_entities_splits_name_and_argument()
    {
        var e = MapOk("nutgram_command_with_parameters");

        Assert.Equal("register", e.Command);
        Assert.Equal("HR John Doe", e.Argument);
        Assert.Equal("en", e.ClientLanguage);
        Assert.Equal(new ChatKey("tg", "456"), e.Chat);
    }

    [Fact]
    public void Private_text_maps_to_text_with_sender_details()
    {
        var e = MapOk("teloxide_private_text_message");

        Assert.Equal(InboundKind.Text, e.Kind);
        Assert.Equal("4", e.Text);
        Assert.Equal(new ChatKey("tg", "408258968"), e.Chat);
        Assert.Equal("408258968", e.UserId);
        Assert.Equal("Hirrolot", e.FirstName);
        Assert.Equal("en", e.ClientLanguage);
        Assert.Equal("306197398", e.DeliveryId);
    }

    [Fact]
    public void Callback_query_maps_to_button_with_data_and_source_message()
    {
        var mapped = TelegramUpdateMapper.Map(Load("nutgram_callback_query"));
        var e = mapped.Event!;

        Assert.Equal(InboundKind.Button, e.Kind);
        Assert.Equal("thedata", e.ButtonData);
        Assert.Equal("69587", e.SourceMessageId);
        Assert.Equal(new ChatKey("tg", "222222222"), e.Chat);
        Assert.Equal("222222222", e.UserId);
        Assert.Equal("it", e.ClientLanguage);
        Assert.Equal("666728699048485871", mapped.CallbackQueryId);
    }

    [Fact]
    public void Inline_callback_query_without_message_is_skipped_but_still_answered()
    {
        var mapped = TelegramUpdateMapper.Map(Load("tg_official_callback_query"));

        Assert.Null(mapped.Event);
        Assert.Contains("inline", mapped.SkipReason, StringComparison.Ordinal);
        Assert.Equal("4382bfdwdsb323b2d9", mapped.CallbackQueryId);
    }

    [Fact]
    public void Photo_maps_to_media_with_the_largest_size_and_caption()
    {
        var e = MapOk("nutgram_photo");

        Assert.Equal(InboundKind.Media, e.Kind);
        Assert.Equal(new MediaInfo(MediaKind.Photo, "SAAS", "SAAS", null, 84913, "asdasdasdasdasdasd", null, "image/jpeg"), e.Media);
    }

    [Fact]
    public void Video_maps_to_media_with_duration_size_and_mime()
    {
        var e = MapOk("nutgram_video");

        Assert.Equal(new MediaInfo(MediaKind.Video, "sdfsdfsdfsfsdfdsfdsfs", "sdfsdf", 12, 4713412, null, null, "video/mp4"), e.Media);
    }

    [Fact]
    public void Video_note_maps_to_media_video_note()
    {
        var e = MapOk("nutgram_video_note");

        Assert.Equal(MediaKind.VideoNote, e.Media!.Kind);
        Assert.Equal("dfgfdgdfgdfggdfgdf", e.Media.FileId);
        Assert.Equal(3, e.Media.DurationSeconds);
        Assert.Equal(290925, e.Media.FileSize);
    }

    [Theory]
    [InlineData("nutgram_voice", "dfghjjghdjhgd", 2, 6448L)]
    [InlineData("tg_official_voice", "AwADBAADbXXXXXXXXXXXGBdhD2l6_XX", 5, 23000L)]
    public void Voice_maps_to_media_voice(string fixture, string fileId, int duration, long size)
    {
        var e = MapOk(fixture);

        Assert.Equal(MediaKind.Voice, e.Media!.Kind);
        Assert.Equal(fileId, e.Media.FileId);
        Assert.Equal(duration, e.Media.DurationSeconds);
        Assert.Equal(size, e.Media.FileSize);
        Assert.Equal("audio/ogg", e.Media.MimeType);
    }

    [Fact]
    public void Kicked_my_chat_member_maps_to_blocked()
    {
        var e = MapOk("teloxide_my_chat_member_kicked_private");

        Assert.Equal(InboundKind.Blocked, e.Kind);
        Assert.Equal(new ChatKey("tg", "0"), e.Chat);
        Assert.Equal("0", e.DeliveryId);
    }

    [Theory]
    [InlineData("nutgram_edited_message", "edited")]
    [InlineData("tg_official_edited_message", "edited")]
    [InlineData("teloxide_supergroup_command_reply", "Supergroup")]
    public void Updates_the_bot_does_not_serve_are_skipped_with_a_reason(string fixture, string reason)
    {
        var mapped = TelegramUpdateMapper.Map(Load(fixture));

        Assert.Null(mapped.Event);
        Assert.Contains(reason, mapped.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Member_my_chat_member_is_skipped()
    {
        var update = JsonSerializer.Deserialize<Update>(Testing.Telegram.FakeUpdates.UnblockedBot(42, updateId: 5).ToJsonString(), JsonBotAPI.Options)!;

        Assert.Null(TelegramUpdateMapper.Map(update).Event);
    }

    [Theory]
    [InlineData("/start", "start", null)]
    [InlineData("/START", "start", null)]
    [InlineData("/start@SpeakUpBot", "start", null)]
    [InlineData("/start@SpeakUpBot  abc_-9 ", "start", "abc_-9")]
    [InlineData("/today\nmore", "today", "more")]
    [InlineData("/language hi", "language", "hi")]
    public void Commands_are_lower_case_without_bot_name(string text, string command, string? argument)
    {
        Assert.True(TelegramUpdateMapper.TryParseCommand(text, null, out var c, out var a));
        Assert.Equal(command, c);
        Assert.Equal(argument, a);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("hello /start")]
    [InlineData("/ start")]
    [InlineData("/स्टार्ट")]
    [InlineData("//")]
    public void Text_that_is_not_a_command_stays_text(string text)
    {
        Assert.False(TelegramUpdateMapper.TryParseCommand(text, null, out _, out _));
    }

    [Fact]
    public void Media_kinds_from_built_updates_map_with_media_group()
    {
        var update = JsonSerializer.Deserialize<Update>(
            Testing.Telegram.FakeUpdates.Video(9, "vid", 28, 1234, caption: "my video", mediaGroupId: "album-1", updateId: 77).ToJsonString(),
            JsonBotAPI.Options)!;

        var e = TelegramUpdateMapper.Map(update).Event!;

        Assert.Equal(new MediaInfo(MediaKind.Video, "vid", "u-vid", 28, 1234, "my video", "album-1", "video/mp4"), e.Media);
        Assert.Equal("77", e.DeliveryId);
        Assert.Equal("hi", e.ClientLanguage);
    }
}
