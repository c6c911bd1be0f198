using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Sessions;

/// <summary>
/// Deletes what a feature stored about a supporter outside their per-chat keys (their submissions in the review queue, for
/// one), when they ask to be forgotten (/forgetme). The engine runs every registered eraser before it deletes the session
/// and before it answers, so "your data has been deleted" is only said once it is true.
/// </summary>
/// <remarks>
/// An eraser must be safe to run again: when the store is unreachable it throws <see cref="StorageUnavailableException"/> and
/// the engine repeats the whole forget (every eraser, then the session) once the store is back.
/// </remarks>
public interface ISupporterDataEraser
{
    Task EraseAsync(ChatKey chat, CancellationToken cancellationToken);
}
