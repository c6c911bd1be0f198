using System.Text;

namespace SpeakUp.Testing;

/// <summary>
/// A strict RFC 4180 reader for tests: records end with CRLF (the last one too), a field is either plain (no quote, CR or
/// LF) or wholly quoted with inner quotes doubled, and every record has as many fields as the header. Anything else
/// throws <see cref="FormatException"/> with the offset, where lenient readers would guess.
/// </summary>
public static class StrictCsv
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Decodes strict UTF-8 after the BOM (which must be there when <paramref name="expectBom"/>) and parses.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadUtf8(byte[] bytes, bool expectBom = true)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var hasBom = bytes.AsSpan().StartsWith(Bom);
        if (hasBom != expectBom)
        {
            throw new FormatException(expectBom ? "The CSV does not start with a UTF-8 BOM." : "The CSV starts with an unexpected BOM.");
        }

        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, hasBom ? Bom.Length : 0, bytes.Length - (hasBom ? Bom.Length : 0));
        return Read(text);
    }

    /// <summary>The records after the header, each as header name → field.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string text)
    {
        var records = Parse(text);
        if (records.Count == 0)
        {
            throw new FormatException("The CSV has no header.");
        }

        var header = records[0];
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Count)
        {
            throw new FormatException("The header repeats a name.");
        }

        return [.. records.Skip(1).Select(r => (IReadOnlyDictionary<string, string>)header.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    /// <summary>Every record, header included.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<IReadOnlyList<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"A quoted field is not closed (opened before offset {i}).");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    if (text[i] == '"')
                    {
                        throw new FormatException($"A quote inside an unquoted field at offset {i}.");
                    }

                    field.Append(text[i++]);
                }
            }

            record.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                if (i == text.Length)
                {
                    throw new FormatException("The text ends after a comma, without the last field's CRLF.");
                }

                continue;
            }

            if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
            {
                i += 2;
                if (records.Count > 0 && record.Count != records[0].Count)
                {
                    throw new FormatException($"Record {records.Count + 1} has {record.Count} fields; the header has {records[0].Count}.");
                }

                records.Add([.. record]);
                record.Clear();
                continue;
            }

            throw new FormatException(i >= text.Length
                ? "The last record does not end with CRLF."
                : $"Expected a comma or CRLF at offset {i}, found {(int)text[i]:x2}.");
        }

        return records;
    }
}
