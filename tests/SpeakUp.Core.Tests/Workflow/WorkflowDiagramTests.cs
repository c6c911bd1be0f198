using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Workflow;

/// <summary>
/// docs/workflow.dot, docs/workflow.mmd and README's diagram are exports of the running machine. When the workflow changes,
/// run the tests once with SPEAKUP_UPDATE_DOCS=1 to rewrite them; otherwise a stale diagram fails here.
/// </summary>
public sealed class WorkflowDiagramTests
{
    private const string ReadmeStart = "<!-- workflow:start -->";
    private const string ReadmeEnd = "<!-- workflow:end -->";

    private static bool Update => Environment.GetEnvironmentVariable("SPEAKUP_UPDATE_DOCS") == "1";

    [Fact]
    public void Docs_hold_the_diagram_exported_from_the_code()
    {
        var workflow = new WorkflowHarness().Workflow;
        var dot = workflow.ToDotGraph().ReplaceLineEndings("\n").Trim() + "\n";
        var mermaid = workflow.ToMermaidGraph().ReplaceLineEndings("\n").Trim() + "\n";
        var docs = Path.Combine(RepoPaths.Root, "docs");
        var readmePath = Path.Combine(RepoPaths.Root, "README.md");
        var readme = File.ReadAllText(readmePath);
        var start = readme.IndexOf(ReadmeStart, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md must hold the diagram between " + ReadmeStart + " and " + ReadmeEnd);
        var readmeDiagram = "\n```mermaid\n" + mermaid + "```\n";

        if (Update)
        {
            File.WriteAllText(Path.Combine(docs, "workflow.dot"), dot);
            File.WriteAllText(Path.Combine(docs, "workflow.mmd"), mermaid);
            File.WriteAllText(readmePath, readme[..(start + ReadmeStart.Length)] + readmeDiagram + readme[end..]);
            return;
        }

        Assert.Equal(dot, File.ReadAllText(Path.Combine(docs, "workflow.dot")));
        Assert.Equal(mermaid, File.ReadAllText(Path.Combine(docs, "workflow.mmd")));
        Assert.Equal(readmeDiagram, readme[(start + ReadmeStart.Length)..end]);
    }
}
