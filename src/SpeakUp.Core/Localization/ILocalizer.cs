using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Localization;

/// <summary>Every user-facing string, per language, from files under config/locales.</summary>
public interface ILocalizer
{
    /// <summary>Language codes in the order they are offered ("hi", "en").</summary>
    IReadOnlyList<string> Languages { get; }

    string DefaultLanguage { get; }

    bool Supports(string? language);

    /// <summary>
    /// The template for <paramref name="key"/> with <c>{name}</c> placeholders replaced. Templates mark bold with *asterisks*;
    /// markup is read from the template only, never from the values, so user text stays text.
    /// </summary>
    MessageText Format(string language, string key, params ReadOnlySpan<(string Name, string Value)> values);

    /// <summary>A string with placeholders replaced and no formatting (button labels, command descriptions).</summary>
    string Plain(string language, string key, params ReadOnlySpan<(string Name, string Value)> values);

    /// <summary>The culture dates and numbers are written in for a language (its "format.culture" key).</summary>
    System.Globalization.CultureInfo Culture(string language);
}
