namespace SpeakUp.Core.Campaigns;

/// <summary>"Today" and "now" in the bot's time zone, from the injected <see cref="TimeProvider"/>.</summary>
public sealed class TodayClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeProvider Time { get; } = time;

    public TimeZoneInfo Zone { get; } = zone;

    public DateTimeOffset UtcNow => Time.GetUtcNow();

    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(Time.GetUtcNow(), Zone);

    public DateOnly Today => DateOnly.FromDateTime(LocalNow.DateTime);
}
