using SpeakUp.Redis;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests;

/// <summary>
/// Not used by the test runner. <c>dotnet SpeakUp.Redis.Tests.dll garnet &lt;dir&gt;</c> runs an <see cref="EmbeddedGarnet"/> in
/// its own process, prints "READY &lt;port&gt;", and stops (with a checkpoint) when stdin closes; tests kill it instead.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is not ["garnet", var dataDirectory])
        {
            Console.Error.WriteLine("usage: SpeakUp.Redis.Tests garnet <data-dir>");
            return 2;
        }

        using var garnet = EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory);
        Console.WriteLine($"READY {garnet.Port}");
        Console.Out.Flush();
        while (Console.In.ReadLine() is not null)
        {
        }

        return 0;
    }
}
