namespace SpeakUp.Core.Sessions;

/// <summary>
/// The store could not be reached (restarting, network). Stores translate their client's connection errors into this so the
/// core can wait and retry without knowing which database it talks to.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
