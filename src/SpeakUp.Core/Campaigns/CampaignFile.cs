namespace SpeakUp.Core.Campaigns;

/// <summary>
/// The calendar file as read at one moment: a hash of its bytes and its campaigns. Every instance computes the same hash
/// for the same content, so an import can be recorded once, keyed by it, however many instances notice the change.
/// </summary>
public sealed record CampaignFileVersion(string Hash, IReadOnlyList<Campaign> Campaigns);

/// <summary>Where the calendar file is (resolved from Campaigns:File) and how often to look at it for changes.</summary>
/// <param name="Path">The resolved path; also the name in <c>file:line</c> errors.</param>
/// <param name="CheckInterval">How often the file is checked; <see cref="TimeSpan.Zero"/> = only at start.</param>
public sealed record CampaignFileLocation(string Path, TimeSpan CheckInterval);
