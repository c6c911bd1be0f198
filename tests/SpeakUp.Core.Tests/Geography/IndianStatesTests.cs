using SpeakUp.Core.Geography;

namespace SpeakUp.Core.Tests.Geography;

public sealed class IndianStatesTests
{
    [Fact]
    public void There_are_28_states_and_8_union_territories() =>
        Assert.Equal((28, 8), (IndianStates.All.Count(s => !s.IsUnionTerritory), IndianStates.All.Count(s => s.IsUnionTerritory)));

    [Fact]
    public void States_come_first_then_union_territories_each_alphabetical()
    {
        var states = IndianStates.All.TakeWhile(s => !s.IsUnionTerritory).Select(s => s.English).ToList();
        var territories = IndianStates.All.SkipWhile(s => !s.IsUnionTerritory).ToList();

        Assert.Equal(28, states.Count);
        Assert.All(territories, t => Assert.True(t.IsUnionTerritory));
        Assert.Equal(states.Order(StringComparer.Ordinal), states);
        Assert.Equal(territories.Select(t => t.English).Order(StringComparer.Ordinal), territories.Select(t => t.English));
    }

    [Fact]
    public void Codes_are_unique_two_capital_letters() =>
        Assert.All(
            IndianStates.All.GroupBy(s => s.Code),
            g => Assert.Matches("^[A-Z]{2}$", Assert.Single(g).Code));

    [Theory]
    [InlineData("RJ", "Rajasthan", "राजस्थान")]
    [InlineData("rj", "Rajasthan", "राजस्थान")]
    [InlineData("OD", "Odisha", "ओडिशा")]
    [InlineData("MZ", "Mizoram", "मिज़ोरम")]
    [InlineData("DH", "Dadra and Nagar Haveli and Daman and Diu", "दादरा और नगर हवेली और दमन और दीव")]
    [InlineData("PY", "Puducherry", "पुडुचेरी")]
    public void Find_returns_the_state_by_code(string code, string english, string hindi)
    {
        var state = IndianStates.Find(code);

        Assert.Equal((english, hindi), (state?.English, state?.Hindi));
    }

    [Theory]
    [InlineData("")]
    [InlineData("XX")]
    [InlineData("Rajasthan")]
    public void Find_returns_null_for_an_unknown_code(string code) =>
        Assert.Null(IndianStates.Find(code));
}
