namespace SpeakUp.Core.Campaigns;

/// <summary>
/// The campaign file is missing or wrong. The message reads <c>file:line: what is wrong</c>, so an admin
/// can fix the calendar without reading a stack trace.
/// </summary>
public sealed class CampaignFileException : Exception
{
    public CampaignFileException(string fileName, int line, string problem)
        : base(line > 0 ? $"{fileName}:{line}: {problem}" : $"{fileName}: {problem}")
    {
        FileName = fileName;
        Line = line;
        Problem = problem;
    }

    public CampaignFileException(string fileName, int line, string problem, Exception innerException)
        : base(line > 0 ? $"{fileName}:{line}: {problem}" : $"{fileName}: {problem}", innerException)
    {
        FileName = fileName;
        Line = line;
        Problem = problem;
    }

    public CampaignFileException()
        : this("(unknown file)", 0, "invalid campaign file")
    {
    }

    public CampaignFileException(string message)
        : this("(unknown file)", 0, message)
    {
    }

    public CampaignFileException(string message, Exception innerException)
        : this("(unknown file)", 0, message, innerException)
    {
    }

    /// <summary>The file name as given to the parser.</summary>
    public string FileName { get; }

    /// <summary>1-based line of the problem; 0 when it concerns the whole file (e.g. it is missing).</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the file and line prefix.</summary>
    public string Problem { get; }
}
