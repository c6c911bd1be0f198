using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

/// <summary>
/// The fake Bot API's flood limits, which the broadcast tests and benchmark rely on to be strict: a sliding second
/// counted at arrival, not whole clock seconds and not the order calls happen to be checked in.
/// </summary>
public sealed class FakeTelegramRateLimitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 4, 0, 0, 500, TimeSpan.Zero);

    private static DateTimeOffset At(double milliseconds) => T0.AddMilliseconds(milliseconds);

    [Fact]
    public void Thirty_sends_fill_any_sliding_second_even_across_a_clock_second()
    {
        var limit = new FakeTelegramRateLimit { PerSecond = 30 };
        for (var i = 0; i < 30; i++)
        {
            // 0 … 870 ms after T0 (x.500 s): the second half lands in the next clock second.
            Assert.Null(limit.Check("sendMessage", 1000 + i, paid: false, At(i * 30)));
        }

        var inTheSameSecond = limit.Check("sendMessage", 2000, paid: false, At(999));
        var aSecondAfterTheFirst = limit.Check("sendMessage", 2001, paid: false, At(1000));

        Assert.Equal(1, inTheSameSecond);
        Assert.Null(aSecondAfterTheFirst);
        Assert.Equal((1, 31), (limit.Violations, limit.Accepted));
    }

    [Fact]
    public void A_call_checked_late_counts_at_its_arrival()
    {
        var limit = new FakeTelegramRateLimit { PerSecond = 2 };
        Assert.Null(limit.Check("sendMessage", 1, paid: false, At(0)));
        Assert.Null(limit.Check("sendMessage", 2, paid: false, At(600)));

        // Checked after the one at 600 ms, but it arrived at 300 ms: the second from 0 ms would hold three.
        var arrivedBetween = limit.Check("sendMessage", 3, paid: false, At(300));
        var arrivedAfter = limit.Check("sendMessage", 4, paid: false, At(1100));

        Assert.Equal(1, arrivedBetween);
        Assert.Null(arrivedAfter);
    }

    [Fact]
    public void One_chat_gets_one_message_a_second_and_edits_do_not_count()
    {
        var limit = new FakeTelegramRateLimit { PerSecond = 30 };
        Assert.Null(limit.Check("sendMessage", 7, paid: false, At(0)));

        var again = limit.Check("sendPhoto", 7, paid: false, At(900));
        var edit = limit.Check("editMessageText", 7, paid: false, At(950));
        var later = limit.Check("sendMessage", 7, paid: false, At(1000));

        Assert.Equal(1, again);
        Assert.Null(edit);
        Assert.Null(later);
    }

    [Fact]
    public void Paid_broadcasts_count_against_their_own_limit()
    {
        var limit = new FakeTelegramRateLimit { PerSecond = 1, PaidPerSecond = 3 };
        Assert.Null(limit.Check("sendMessage", 1, paid: false, At(0)));

        var paid = Enumerable.Range(0, 4).Select(i => limit.Check("sendMessage", 10 + i, paid: true, At(10 + i))).ToList();

        Assert.Equal([null, null, null, 1], paid);
    }
}
