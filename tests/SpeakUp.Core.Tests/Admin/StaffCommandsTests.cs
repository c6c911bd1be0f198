using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Admin;

public sealed class StaffCommandsTests
{
    private static readonly UserRoles Owner = new(true, true, false, []);
    private static readonly UserRoles CentralAdmin = new(false, true, false, []);
    private static readonly UserRoles Moderator = new(false, false, true, []);
    private static readonly UserRoles RajasthanCoordinator = new(false, false, false, ["RJ"]);

    private readonly FakeRoster _roster = new();
    private readonly FakeExport _export = new();
    private readonly FakeAudit _audit = new();
    private readonly RecordingSender _sender = new();
    private readonly RecordingFiles _files = new();
    private readonly StaffCommands _commands;

    public StaffCommandsTests()
    {
        var clock = new TodayClock(new FakeTimeProvider(WorkflowHarness.Morning), TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));
        _commands = new StaffCommands(_roster, new FakeDrafts(), new FakeStats(), new FakeChart(), _export, _audit, _sender, [_files], WorkflowHarness.Localizer, clock, NullLogger<StaffCommands>.Instance);
    }

    [Theory]
    [InlineData("owner", StaffRole.Admin, true)]
    [InlineData("owner", StaffRole.Coordinator, true)]
    [InlineData("owner", StaffRole.Owner, false)]
    [InlineData("admin", StaffRole.Admin, false)]
    [InlineData("admin", StaffRole.Moderator, true)]
    [InlineData("admin", StaffRole.Coordinator, true)]
    [InlineData("moderator", StaffRole.Moderator, false)]
    [InlineData("coordinator", StaffRole.Coordinator, false)]
    public void Who_may_give_which_role(string actor, StaffRole role, bool allowed) =>
        Assert.Equal(allowed, RolePolicy.CanAssign(RolesOf(actor), role));

    [Theory]
    [InlineData("RJ,UP", new[] { "RJ", "UP" })]
    [InlineData("Rajasthan, उत्तर प्रदेश", new[] { "RJ", "UP" })]
    [InlineData("rj, RJ", new[] { "RJ" })]
    public void Coordinator_states_are_parsed_from_codes_or_names(string text, string[] expected) =>
        Assert.Equal(expected, RolePolicy.ParseStates(text));

    [Fact]
    public void An_unknown_state_makes_the_whole_list_invalid() => Assert.Null(RolePolicy.ParseStates("RJ, Atlantis"));

    [Fact]
    public async Task Supporters_fall_through_so_staff_commands_stay_hidden()
    {
        Assert.False(await Handle(UserRoles.Supporter, "stats"));
        Assert.False(await Handle(UserRoles.Supporter, "admins", "add 5 admin"));
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task Owner_adds_a_coordinator_and_it_is_audited()
    {
        Assert.True(await Handle(Owner, "admins", "add 555 coordinator RJ,UP"));

        var member = Assert.Single(_roster.Members);
        Assert.Equal(new[] { "RJ", "UP" }, member.States);
        Assert.Equal(StaffRole.Coordinator, member.Role);
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal(("role.add", "555", "1"), (entry.Action, entry.Item, entry.ActorId));
    }

    [Fact]
    public async Task An_admin_cannot_appoint_or_remove_admins()
    {
        _roster.Members.Add(new StaffMember("777", StaffRole.Admin, [], "1", WorkflowHarness.Morning));

        await Handle(CentralAdmin, "admins", "add 556 admin");
        await Handle(CentralAdmin, "admins", "remove 777");

        Assert.Single(_roster.Members);
        Assert.Empty(_audit.Entries);
        Assert.All(_sender.Sent, m => Assert.Equal(WorkflowHarness.Localizer.Plain("hi", "admin.not_allowed"), m.Text.ToPlainText()));
    }

    [Fact]
    public async Task A_role_given_without_an_id_goes_to_the_sender_of_the_next_forwarded_message()
    {
        await Handle(Owner, "admins", "add coordinator Rajasthan");
        Assert.Empty(_roster.Members);

        var forwarded = new InboundEvent { Chat = new ChatKey("tg", "1"), Kind = InboundKind.Text, Text = "hi", UserId = "1", ForwardedFromUserId = "888" };
        Assert.True(await _commands.TryHandleAsync(new InboundContext(forwarded, Owner, null, "hi"), default));

        var member = Assert.Single(_roster.Members);
        Assert.Equal(("888", StaffRole.Coordinator), (member.UserId, member.Role));
        Assert.Equal(["RJ"], member.States);
        Assert.False(await _commands.TryHandleAsync(new InboundContext(forwarded, Owner, null, "hi"), default));
    }

    [Fact]
    public async Task Owners_cannot_be_removed_from_chat()
    {
        _roster.Members.Add(new StaffMember("1", StaffRole.Owner, [], "config", WorkflowHarness.Morning));

        await Handle(Owner, "admins", "remove 1");

        Assert.Single(_roster.Members);
    }

    [Fact]
    public async Task A_coordinator_cannot_manage_roles()
    {
        await Handle(RajasthanCoordinator, "admins", "add 9 coordinator DL");

        Assert.Empty(_roster.Members);
        Assert.Equal(WorkflowHarness.Localizer.Plain("hi", "admin.not_allowed"), Assert.Single(_sender.Sent).Text.ToPlainText());
    }

    [Fact]
    public async Task A_coordinator_exports_only_their_states()
    {
        await Handle(RajasthanCoordinator, "export");

        Assert.Equal(["RJ"], _export.AskedFor.Single()!);
        var file = Assert.Single(_files.Documents);
        Assert.DoesNotContain("DL", file.Content, StringComparison.Ordinal);
        Assert.Equal("export.supporters", Assert.Single(_audit.Entries).Action);
    }

    [Fact]
    public async Task A_central_admin_exports_the_whole_country()
    {
        await Handle(CentralAdmin, "export");

        Assert.Null(_export.AskedFor.Single());
    }

    [Fact]
    public async Task A_moderator_cannot_export()
    {
        await Handle(Moderator, "export");

        Assert.Empty(_export.AskedFor);
        Assert.Empty(_files.Documents);
    }

    [Fact]
    public async Task Stats_for_central_staff_come_with_a_chart_and_for_coordinators_without()
    {
        await Handle(CentralAdmin, "stats");
        await Handle(RajasthanCoordinator, "stats");

        Assert.Single(_files.Photos);
        Assert.Contains("राजस्थान: 5", _sender.Sent[1].Text.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("दिल्ली", _sender.Sent[1].Text.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supporter_csv_round_trips_through_a_csv_parser_with_hindi_commas_quotes_and_newlines()
    {
        SupporterRow[] rows =
        [
            new("tg:1", "सुनीता, \"दीदी\"", "hi", "RJ", new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero), true, "abc", 3),
            new("tg:2", "Line\r\nbreak", "en", "DL", null, false, null, null),
            new("tg:3", "=HYPERLINK(\"x\")", "hi", "UP", null, true, null, 0),
        ];
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, Csv.Utf8WithBom, leaveOpen: true))
        {
            Assert.Equal(3, await SupporterCsv.WriteAsync(writer, rows.ToAsyncEnumerable(), default));
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, Encoding.UTF8);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var records = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();

        Assert.Equal(3, records.Count);
        Assert.Equal("सुनीता, \"दीदी\"", records[0]["first_name"]);
        Assert.Equal("2026-11-26T04:00:00Z", records[0]["joined"]);
        Assert.Equal("yes", records[0]["opted_in"]);
        Assert.Equal("3", records[0]["submissions"]);
        Assert.Equal("Line\r\nbreak", records[1]["first_name"]);
        Assert.Equal("'=HYPERLINK(\"x\")", records[2]["first_name"]);
        Assert.Equal(SupporterCsv.Header, records[0].Keys);
    }

    private static UserRoles RolesOf(string name) => name switch
    {
        "owner" => Owner,
        "admin" => CentralAdmin,
        "moderator" => Moderator,
        _ => RajasthanCoordinator,
    };

    private Task<bool> Handle(UserRoles roles, string command, string? argument = null) => _commands.TryHandleAsync(
        new InboundContext(new InboundEvent { Chat = new ChatKey("tg", "1"), Kind = InboundKind.Command, Command = command, Argument = argument, UserId = "1" }, roles, null, "hi"),
        default);

    private sealed class FakeRoster : IRoleStore
    {
        public List<StaffMember> Members { get; } = [];

        public Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StaffMember>>([.. Members]);

        public Task SetAsync(StaffMember member, CancellationToken cancellationToken)
        {
            Members.RemoveAll(m => m.UserId == member.UserId);
            Members.Add(member);
            return Task.CompletedTask;
        }

        public Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(Members.RemoveAll(m => m.UserId == userId) > 0);
    }

    private sealed class FakeDrafts : IStaffDrafts
    {
        private readonly Dictionary<string, string> _drafts = [];

        public Task SaveAsync(string userId, string kind, string draft, TimeSpan timeToLive, CancellationToken cancellationToken)
        {
            _drafts[kind + userId] = draft;
            return Task.CompletedTask;
        }

        public Task<string?> TakeAsync(string userId, string kind, CancellationToken cancellationToken) =>
            Task.FromResult(_drafts.Remove(kind + userId, out var draft) ? draft : null);
    }

    private sealed class FakeStats : IStatsReader
    {
        public Task<StatsSnapshot> ReadAsync(DateOnly today, TimeZoneInfo zone, int days, CancellationToken cancellationToken) =>
            Task.FromResult(new StatsSnapshot(today, 12, 10, 1, [new DayCount(today, 2)], [new KeyCount("DL", 7), new KeyCount("RJ", 5)], [new KeyCount("hi", 12)]));
    }

    private sealed class FakeChart : IStatsChart
    {
        public byte[] RenderPng(StatsSnapshot stats, string language) => [0x89, 0x50, 0x4E, 0x47];
    }

    private sealed class FakeExport : ISupporterExportSource
    {
        public List<IReadOnlyCollection<string>?> AskedFor { get; } = [];

        public async IAsyncEnumerable<SupporterRow> ReadAsync(IReadOnlyCollection<string>? states, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            AskedFor.Add(states);
            await Task.Yield();
            foreach (var state in states ?? ["RJ", "DL"])
            {
                yield return new SupporterRow("tg:" + state, "नाम", "hi", state, null, true, null, null);
            }
        }
    }

    private sealed class FakeAudit : IAuditLog
    {
        public List<AuditEntry> Entries { get; } = [];

        public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            Entries.Add(entry);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditEntry>>([.. Entries]);
    }

    private sealed class RecordingSender : IMessageSender
    {
        public List<OutboundMessage> Sent { get; } = [];

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.FromResult(SendResult.Ok());
        }
    }

    private sealed class RecordingFiles : IFileSender
    {
        public List<(string Name, string Content)> Documents { get; } = [];

        public List<string> Photos { get; } = [];

        public string Channel => "tg";

        public Task<SendResult> SendPhotoAsync(ChatKey chat, Stream image, string fileName, string? caption, CancellationToken cancellationToken)
        {
            Photos.Add(fileName);
            return Task.FromResult(SendResult.Ok());
        }

        public async Task<SendResult> SendDocumentAsync(ChatKey chat, Stream content, string fileName, string? caption, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(content, Encoding.UTF8, leaveOpen: true);
            Documents.Add((fileName, await reader.ReadToEndAsync(cancellationToken)));
            return SendResult.Ok();
        }
    }
}
