using System.Globalization;
using System.Text;

namespace SpeakUp.Core.Admin;

/// <summary>One row of the supporters export.</summary>
public sealed record SupporterRow(
    string Id,
    string? FirstName,
    string? Language,
    string? StateCode,
    DateTimeOffset? JoinedAt,
    bool OptedIn,
    string? Referrer,
    long? Submissions);

/// <summary>Every joined supporter, or those of some states, read in pages (never all in memory).</summary>
public interface ISupporterExportSource
{
    /// <summary>Rows of joined supporters; <paramref name="states"/> null = the whole country.</summary>
    IAsyncEnumerable<SupporterRow> ReadAsync(IReadOnlyCollection<string>? states, CancellationToken cancellationToken);
}

/// <summary>RFC 4180 CSV: CRLF line ends, fields with comma, quote, CR or LF quoted, quotes doubled. UTF-8 with a BOM (for spreadsheets).</summary>
public static class Csv
{
    public static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>Rows between flushes: the download starts at once and memory holds a page, whatever the export's size.</summary>
    private const int FlushEvery = 500;

    /// <summary>Writes the header and a line per row as the source yields them; returns the number of rows written.</summary>
    public static async Task<long> WriteAllAsync<T>(TextWriter writer, IReadOnlyList<string> header, IAsyncEnumerable<T> rows, Func<T, IReadOnlyList<string?>> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(fields);
        await WriteRowAsync(writer, header, cancellationToken);
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteRowAsync(writer, fields(row), cancellationToken);
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    public static async Task WriteRowAsync(TextWriter writer, IReadOnlyList<string?> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        var line = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Escape(fields[i]));
        }

        line.Append("\r\n");
        await writer.WriteAsync(line.ToString().AsMemory(), cancellationToken);
    }

    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return string.Empty;
        }

        // A leading = + - @ would make a spreadsheet run the cell as a formula; a quote mark keeps it text.
        if (field[0] is '=' or '+' or '-' or '@')
        {
            field = "'" + field;
        }

        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}

/// <summary>Writes the supporters export as CSV, row by row as the source yields them.</summary>
public static class SupporterCsv
{
    public static readonly string[] Header = ["id", "first_name", "language", "state", "joined", "opted_in", "referrer", "submissions"];

    /// <summary>Writes the header and every row; returns the number of rows written.</summary>
    public static Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<SupporterRow> rows, CancellationToken cancellationToken) =>
        Csv.WriteAllAsync(
            writer,
            Header,
            rows,
            row =>
            [
                row.Id,
                row.FirstName,
                row.Language,
                row.StateCode,
                row.JoinedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                row.OptedIn ? "yes" : "no",
                row.Referrer,
                row.Submissions?.ToString(CultureInfo.InvariantCulture),
            ],
            cancellationToken);
}
