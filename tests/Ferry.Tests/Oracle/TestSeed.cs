namespace Ferry.Tests.Oracle;

/// <summary>How the differential testers pick their random inputs. A normal run uses a fixed seed per form,
/// the same in every process. <c>FERRY_TEST_SEED=n</c> mixes n into every seed (<c>random</c> picks one,
/// printed with any failure), and <c>FERRY_TEST_SCALE=n</c> runs n times as many cases: a longer soak run
/// that a failure names, so <c>FERRY_TEST_SEED=n FERRY_TEST_SCALE=m</c> replays it.</summary>
public static class TestSeed
{
    /// <summary>The seed from FERRY_TEST_SEED, 0 (the fixed seeds) when unset.</summary>
    public static int Seed { get; } = Parse(Environment.GetEnvironmentVariable("FERRY_TEST_SEED"));

    /// <summary>FERRY_TEST_SCALE (or the older FERRY_SSE_SCALE), at least 1.</summary>
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("FERRY_TEST_SCALE") ?? Environment.GetEnvironmentVariable("FERRY_SSE_SCALE"), out var n) && n > 0 ? n : 1;

    private static int Parse(string? v)
    {
        if (string.IsNullOrEmpty(v)) return 0;
        if (v == "random") return Random.Shared.Next(1, int.MaxValue);
        return int.TryParse(v, out int s) ? s : throw new InvalidOperationException($"FERRY_TEST_SEED must be a number or 'random', not '{v}'");
    }

    /// <summary>The seed for a tester's own fixed <paramref name="baseSeed"/>: itself in a normal run.
    /// (A deterministic mix: HashCode.Combine differs from process to process.)</summary>
    public static int For(int baseSeed) => Seed == 0 && Scale == 1 ? baseSeed : unchecked(baseSeed * -1640531535 + Seed * 31 + Scale);

    /// <summary>What a failure message says so that the run can be replayed.</summary>
    public static string Replay => $"(FERRY_TEST_SEED={Seed} FERRY_TEST_SCALE={Scale})";
}
