namespace SpeakUp.Core.Workflow;

/// <summary>
/// The short names in button data ("l:hi", "s:RJ", "p:2"). They are ids, never decisions the server trusts:
/// the workflow parses them strictly and checks them against the current state.
/// </summary>
internal static class ButtonData
{
    public const string Language = "l";
    public const string Consent = "c";
    public const string State = "s";
    public const string Page = "p";
    public const string Confirm = "ok";
    public const string Cancel = "x";
    public const string Today = "t";
    public const string Help = "h";
    public const string AskLanguage = "lang";

    /// <summary>Submissions: "sb:go" asks for content, "sb:n" / "sb:a" confirm with the first name / anonymously.</summary>
    public const string Submission = "sb";
}
