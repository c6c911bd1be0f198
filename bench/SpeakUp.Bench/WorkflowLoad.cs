using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.BotHost;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Bench;

/// <summary>
/// The host's per-update work that needs no I/O, on one thread: read the session JSON, run the workflow, remember the
/// delivery, write the JSON, for the same flow the supporters walk. Shows what the core costs per update by itself.
/// </summary>
internal static class WorkflowLoad
{
    public static (double HandleMicros, double HandleAllocatedKb, double WithJsonMicros, double AllocatedKb, int Events) Run(int supporters, int todays)
    {
        // The host as Program.cs builds it (not started: no Redis, no Telegram), for its SupporterWorkflow.
        var app = SpeakUpApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
            builder.Services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(ShiftedTimeProvider.CampaignMorning));
        });
        var workflow = app.Services.GetRequiredService<SupporterWorkflow>();

        // Warm-up (tiered JIT), then the measured pass.
        Walk(workflow, supporters, todays, 0);
        return Walk(workflow, supporters, todays, 1);
    }

    private static (double, double, double, double, int) Walk(SupporterWorkflow workflow, int supporters, int todays, int pass)
    {
        long handleTicks = 0;
        long handleBytes = 0;
        var events = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var all = Stopwatch.StartNew();
        for (var i = 0; i < supporters; i++)
        {
            var language = i % 2 == 0 ? "hi" : "en";
            var chat = new ChatKey("tg", (9_000_000_000L + (pass * 10_000_000L) + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var stored = SessionJson.Serialize(Session.New(chat, DateTimeOffset.UtcNow));
            foreach (var step in SupporterLoad.Flow(language, todays))
            {
                var inbound = step.IsButton
                    ? new InboundEvent { Chat = chat, Kind = InboundKind.Button, ButtonData = step.Payload, ClientLanguage = language, DeliveryId = "d" + events, SourceMessageId = "501" }
                    : new InboundEvent { Chat = chat, Kind = InboundKind.Command, Command = step.Payload[1..], ClientLanguage = language, DeliveryId = "d" + events };
                var session = SessionJson.Deserialize(stored);
                session.Chat = chat;
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var started = Stopwatch.GetTimestamp();
                workflow.Handle(session, inbound);
                handleTicks += Stopwatch.GetTimestamp() - started;
                handleBytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
                session.RememberDelivery(inbound.DeliveryId);
                stored = SessionJson.Serialize(session);
                events++;
            }
        }

        var handle = handleTicks * 1e6 / Stopwatch.Frequency / events;
        return (handle, handleBytes / 1024.0 / events, all.Elapsed.TotalMicroseconds / events, (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1024.0 / events, events);
    }
}
