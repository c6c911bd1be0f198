using SpeakUp.Core.Geography;

namespace SpeakUp.Core.Tests.Geography;

public sealed class StateMatcherTests
{
    public static TheoryData<string, string> EnglishNames() => Names(s => s.English);

    public static TheoryData<string, string> HindiNames() => Names(s => s.Hindi);

    [Theory]
    [MemberData(nameof(EnglishNames))]
    public void Every_english_name_matches_its_state(string name, string code) =>
        Assert.Equal(code, StateMatcher.Match(name));

    [Theory]
    [MemberData(nameof(EnglishNames))]
    public void English_names_match_in_any_case_and_spacing(string name, string code)
    {
        Assert.Equal(code, StateMatcher.Match(name.ToUpperInvariant()));
        Assert.Equal(code, StateMatcher.Match("  " + name.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal) + ". "));
    }

    [Theory]
    [MemberData(nameof(HindiNames))]
    public void Every_hindi_name_matches_its_state(string name, string code) =>
        Assert.Equal(code, StateMatcher.Match(name));

    [Theory]
    [MemberData(nameof(EnglishNames))]
    public void Every_code_matches_its_state_except_codes_that_are_english_words(string name, string code)
    {
        _ = name;
        Assert.Equal(code is "AS" or "AN" ? null : code, StateMatcher.Match(code.ToLowerInvariant()));
    }

    [Theory]
    // The spellings HINDI.md asks for.
    [InlineData("rajsthan", "RJ")]
    [InlineData("राजस्थान", "RJ")]
    [InlineData("UP", "UP")]
    [InlineData("MP", "MP")]
    [InlineData("Orissa", "OD")]
    [InlineData("Pondicherry", "PY")]
    [InlineData("J&K", "JK")]
    [InlineData("j & k", "JK")]
    [InlineData("Bengal", "WB")]
    // Common short forms and old names.
    [InlineData("Delhi NCR", "DL")]
    [InlineData("New Delhi", "DL")]
    [InlineData("Uttaranchal", "UK")]
    [InlineData("Chattisgarh", "CG")]
    [InlineData("Tamilnadu", "TN")]
    [InlineData("AP", "AP")]
    [InlineData("HP", "HP")]
    [InlineData("WB", "WB")]
    [InlineData("tn", "TN")]
    [InlineData("TS", "TG")]
    [InlineData("Kashmir", "JK")]
    [InlineData("Jammu & Kashmir", "JK")]
    [InlineData("jammu-kashmir", "JK")]
    [InlineData("Andaman", "AN")]
    [InlineData("Andaman & Nicobar", "AN")]
    [InlineData("Daman", "DH")]
    [InlineData("Dadra and Nagar Haveli", "DH")]
    [InlineData("यूपी", "UP")]
    [InlineData("एमपी", "MP")]
    [InlineData("उड़ीसा", "OD")]
    [InlineData("बंगाल", "WB")]
    [InlineData("जम्मू-कश्मीर", "JK")]
    [InlineData("पांडिचेरी", "PY")]
    [InlineData("नई दिल्ली", "DL")]
    // Punctuation, accents and Unicode spelling variants.
    [InlineData("  Tamil   Nadu!! ", "TN")]
    [InlineData("madhya-pradesh", "MP")]
    [InlineData("Mizorām", "MZ")]
    [InlineData("मिजोरम", "MZ")]          // without the nukta
    [InlineData("छत्तीसगढ", "CG")]         // without the nukta
    [InlineData("झारखण्ड", "JH")]          // half-letter instead of anusvara
    [InlineData("पन्जाब", "PB")]
    [InlineData("अँडमान", "AN")]           // chandrabindu for anusvara
    [InlineData("राज\u200Cस्थान", "RJ")]    // stray zero-width non-joiner
    // Typos: one edit for 5–8 letters, two for longer names.
    [InlineData("Karnatka", "KA")]
    [InlineData("Telangna", "TG")]
    [InlineData("Meghalya", "ML")]
    [InlineData("Nagalnd", "NL")]
    [InlineData("Gujrat", "GJ")]
    [InlineData("Maharastra", "MH")]
    [InlineData("Kerela", "KL")]
    [InlineData("Bihaar", "BR")]
    [InlineData("Arunachal Pardesh", "AR")]
    [InlineData("Himachal pradsh", "HP")]
    [InlineData("Utter Pradesh", "UP")]
    [InlineData("Chandigadh", "CH")]
    [InlineData("Lakshdweep", "LD")]
    [InlineData("Puducheri", "PY")]
    [InlineData("राजस्तान", "RJ")]
    [InlineData("महारास्ट्र", "MH")]
    public void Typed_state_names_match_loosely(string typed, string code) =>
        Assert.Equal(code, StateMatcher.Match(typed));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("hi")]
    [InlineData("yes")]
    [InlineData("start")]
    [InlineData("help")]
    [InlineData("stop")]
    [InlineData("namaste")]
    [InlineData("नमस्ते")]
    [InlineData("India")]
    [InlineData("भारत")]
    [InlineData("Pradesh")]
    [InlineData("123")]
    [InlineData("?!.")]
    [InlineData("😀")]
    [InlineData("Bombay")]                // cities are not states
    [InlineData("Jaipur")]
    [InlineData("as")]                    // an English word, not Assam's code
    [InlineData("Raj")]                   // too short to forgive
    [InlineData("Rajsthaan Pardesh")]     // too far from anything
    public void Garbage_does_not_match(string typed) =>
        Assert.Null(StateMatcher.Match(typed));

    [Fact]
    public void Null_does_not_match() =>
        Assert.Null(StateMatcher.Match(null));

    [Fact]
    public void Very_long_input_is_rejected_even_if_it_contains_a_state() =>
        Assert.Null(StateMatcher.Match(new string(' ', 60) + "Rajasthan"));

    [Fact]
    public void Ten_thousand_characters_are_rejected() =>
        Assert.Null(StateMatcher.Match(new string('a', 10_000)));

    [Fact]
    public void Input_as_near_to_two_states_as_to_each_other_matches_neither() =>
        // "adaman" is one edit from both Andaman (AN) and Daman (DH).
        Assert.Null(StateMatcher.Match("adaman"));

    [Theory]
    [InlineData("झारखण्ड", "झारखंड")]
    [InlineData("मिज़ोरम", "मिजोरम")]
    [InlineData("अँडमान", "अंडमान")]
    [InlineData("Tamil Nadu", "tamilnadu")]
    [InlineData("Jammu and Kashmir", "Jammu & Kashmir")]
    public void Spelling_variants_share_a_key(string a, string b) =>
        Assert.Equal(StateMatcher.Key(b), StateMatcher.Key(a));

    private static TheoryData<string, string> Names(Func<IndianState, string> name)
    {
        var data = new TheoryData<string, string>();
        foreach (var state in IndianStates.All)
        {
            data.Add(name(state), state.Code);
        }

        return data;
    }
}
