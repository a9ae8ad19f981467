namespace Ferry.Jit;

/// <summary>How the JIT tier runs: on or off, how hot a block must be before it is compiled, and
/// whether compiled blocks are cross-checked against the interpreter.</summary>
/// <remarks>The engine reads <see cref="Current"/> when a process is created. It starts from the
/// environment (<c>FERRY_JIT=0</c> turns the JIT off, <c>FERRY_JIT_THRESHOLD=n</c>, <c>FERRY_JIT_REGION_THRESHOLD=n</c>,
/// <c>FERRY_VERIFY_JIT=1</c>, <c>FERRY_JIT_BACKGROUND=1</c>, <c>FERRY_JIT_CHAIN=0</c>), and the <c>ferry</c> command replaces it from its options.</remarks>
public sealed record JitOptions
{
    /// <summary>Compile hot blocks at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A block is compiled on the visit that brings its execution count to this number
    /// (1 compiles every block before its first run).</summary>
    /// <remarks>RyuJIT takes about a millisecond for a block's method, as long as the interpreter takes for some
    /// thousand runs of it: code that runs fewer times does not repay its compilation (lua5.4 from bench/run
    /// spent 1.2 s of 2.0 s in RyuJIT at 128; at 1024 python3, lua5.4 and sqlite3 still spent 30-45 % of their CPU
    /// compiling on bench/run's small inputs, 4096 cut that by 30-80 % and their CPU by 10-20 %).</remarks>
    public int Threshold { get; init; } = 4096;

    /// <summary>A compiled block that has run this many times is compiled again together with the blocks it
    /// branches to on its pages (a region), so loops of several blocks stay in compiled code; 1 compiles regions
    /// from the start. Co-simulation compiles single blocks only.</summary>
    public int RegionThreshold { get; init; } = 16384;

    /// <summary>Compile on a worker thread (<see cref="CompileWorker"/>) while the interpreter keeps running the
    /// block, instead of on the guest thread at the moment the block becomes hot. Off in a bare record (tests
    /// want the compiled code at once); <see cref="FromEnvironment"/> turns it on with <c>FERRY_JIT_BACKGROUND=1</c>.
    /// Co-simulation always compiles on the guest thread.</summary>
    public bool Background { get; init; }

    /// <summary>Run compiled code back to back: when compiled code leaves to a block that is compiled too, the
    /// engine goes straight on to it without returning to the interpreter's dispatch loop
    /// (<c>FERRY_JIT_CHAIN=0</c> turns it off, to compare).</summary>
    public bool Chain { get; init; } = true;

    /// <summary>Co-simulation: every run of a compiled block is repeated on the interpreter from the
    /// same state and the results must agree, else <see cref="JitVerificationException"/>.</summary>
    public bool Verify { get; init; }

    /// <summary>The options new processes use.</summary>
    public static JitOptions Current { get; set; } = FromEnvironment();

    /// <summary>The defaults, adjusted by <c>FERRY_JIT</c>, <c>FERRY_JIT_THRESHOLD</c>, <c>FERRY_JIT_REGION_THRESHOLD</c> and <c>FERRY_VERIFY_JIT</c>.</summary>
    public static JitOptions FromEnvironment()
    {
        var o = new JitOptions();
        var on = Environment.GetEnvironmentVariable("FERRY_JIT");
        if (on is "0" or "off" or "false") o = o with { Enabled = false };
        if (int.TryParse(Environment.GetEnvironmentVariable("FERRY_JIT_THRESHOLD"), out int t) && t > 0) o = o with { Threshold = t };
        if (int.TryParse(Environment.GetEnvironmentVariable("FERRY_JIT_REGION_THRESHOLD"), out int r) && r > 0) o = o with { RegionThreshold = r };
        // Opt-in until the whole suite has passed with it on (see bench/README.md, JIT notes).
        o = o with { Background = Environment.GetEnvironmentVariable("FERRY_JIT_BACKGROUND") is "1" or "on" or "true" };
        if (Environment.GetEnvironmentVariable("FERRY_JIT_CHAIN") is "0" or "off" or "false") o = o with { Chain = false };
        if (Environment.GetEnvironmentVariable("FERRY_VERIFY_JIT") is "1" or "on" or "true") o = o with { Verify = true };
        return o;
    }
}
