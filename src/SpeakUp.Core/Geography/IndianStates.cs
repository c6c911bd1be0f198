using System.Collections.Frozen;

namespace SpeakUp.Core.Geography;

/// <summary>A state or union territory of India.</summary>
/// <param name="Code">Stable short code (vehicle-registration style: RJ, UP, OD…); stored with supporters, so never change one.</param>
/// <param name="English">English name.</param>
/// <param name="Hindi">Hindi name, as supporters see it.</param>
/// <param name="IsUnionTerritory">True for the 8 union territories.</param>
public sealed record IndianState(string Code, string English, string Hindi, bool IsUnionTerritory);

/// <summary>The 28 states and 8 union territories, in display order: states alphabetically, then union territories.</summary>
public static class IndianStates
{
    /// <summary>All 36, in display order (states A–Z, then union territories A–Z).</summary>
    public static IReadOnlyList<IndianState> All { get; } = Array.AsReadOnly<IndianState>(
    [
        new("AP", "Andhra Pradesh", "आंध्र प्रदेश", false),
        new("AR", "Arunachal Pradesh", "अरुणाचल प्रदेश", false),
        new("AS", "Assam", "असम", false),
        new("BR", "Bihar", "बिहार", false),
        new("CG", "Chhattisgarh", "छत्तीसगढ़", false),
        new("GA", "Goa", "गोवा", false),
        new("GJ", "Gujarat", "गुजरात", false),
        new("HR", "Haryana", "हरियाणा", false),
        new("HP", "Himachal Pradesh", "हिमाचल प्रदेश", false),
        new("JH", "Jharkhand", "झारखंड", false),
        new("KA", "Karnataka", "कर्नाटक", false),
        new("KL", "Kerala", "केरल", false),
        new("MP", "Madhya Pradesh", "मध्य प्रदेश", false),
        new("MH", "Maharashtra", "महाराष्ट्र", false),
        new("MN", "Manipur", "मणिपुर", false),
        new("ML", "Meghalaya", "मेघालय", false),
        new("MZ", "Mizoram", "मिज़ोरम", false),
        new("NL", "Nagaland", "नगालैंड", false),
        new("OD", "Odisha", "ओडिशा", false),
        new("PB", "Punjab", "पंजाब", false),
        new("RJ", "Rajasthan", "राजस्थान", false),
        new("SK", "Sikkim", "सिक्किम", false),
        new("TN", "Tamil Nadu", "तमिलनाडु", false),
        new("TG", "Telangana", "तेलंगाना", false),
        new("TR", "Tripura", "त्रिपुरा", false),
        new("UP", "Uttar Pradesh", "उत्तर प्रदेश", false),
        new("UK", "Uttarakhand", "उत्तराखंड", false),
        new("WB", "West Bengal", "पश्चिम बंगाल", false),
        new("AN", "Andaman and Nicobar Islands", "अंडमान और निकोबार द्वीपसमूह", true),
        new("CH", "Chandigarh", "चंडीगढ़", true),
        new("DH", "Dadra and Nagar Haveli and Daman and Diu", "दादरा और नगर हवेली और दमन और दीव", true),
        new("DL", "Delhi", "दिल्ली", true),
        new("JK", "Jammu and Kashmir", "जम्मू और कश्मीर", true),
        new("LA", "Ladakh", "लद्दाख", true),
        new("LD", "Lakshadweep", "लक्षद्वीप", true),
        new("PY", "Puducherry", "पुडुचेरी", true),
    ]);

    private static readonly FrozenDictionary<string, IndianState> ByCode =
        All.ToFrozenDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The state with that code (case-insensitive), or null.</summary>
    public static IndianState? Find(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return ByCode.GetValueOrDefault(code.Trim());
    }
}
