using System.Collections;

namespace SpeakUp.Core.Sessions;

/// <summary>
/// The campaigns a supporter joined, in the order they joined them. Compared by value, so a
/// <see cref="SupporterSnapshot"/> whose campaigns did not change equals the one before and the indexes are left alone
/// (a list would compare by reference and rewrite them on every update).
/// </summary>
public sealed class CampaignIds : IReadOnlyList<string>, IEquatable<CampaignIds>
{
    public static readonly CampaignIds None = new([]);

    private readonly string[] _ids;

    public CampaignIds(IEnumerable<string> ids) => _ids = [.. ids.Distinct(StringComparer.Ordinal)];

    public int Count => _ids.Length;

    public string this[int index] => _ids[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_ids).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _ids.GetEnumerator();

    public bool Equals(CampaignIds? other) => other is not null && _ids.AsSpan().SequenceEqual(other._ids);

    public override bool Equals(object? obj) => Equals(obj as CampaignIds);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var id in _ids)
        {
            hash.Add(id, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(',', _ids);
}
