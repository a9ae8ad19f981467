using Ferry.Decoding;
using Iced.Intel;

namespace Ferry.Jit;

/// <summary>A block's compiled form, and the object its code is bound to: generated IL reaches the
/// block (for its validity at loop back-edges) and its instructions (for handler fall-backs) through
/// these fields.</summary>
public sealed class CompiledBlock
{
    /// <summary>The block this code was translated from.</summary>
    public readonly Block Block;
    /// <summary>The instructions of every block in the compiled region, the entry block's first: a fall-back
    /// passes its handler a reference into this array, and a fault's index points into it.</summary>
    public Instruction[] Instructions;

    /// <summary>How many blocks the compiled region holds (the entry block and those linked to it).</summary>
    public int RegionBlocks { get; internal set; } = 1;

    /// <summary>The entry point (set once the IL is built).</summary>
    public CompiledCode Code { get; internal set; } = null!;

    /// <summary>The size of the generated IL in bytes (RyuJIT's time grows with it).</summary>
    public int ILSize { get; internal set; }

    /// <summary>How many of the block's instructions were translated inline (the rest call their handler).</summary>
    public int InlineCount { get; internal set; }

    /// <summary>False when co-simulation cannot check this block soundly: a fall-back instruction writes
    /// memory that the store journal does not see, or an instruction gives a different result each run
    /// (RDTSC, RDRAND).</summary>
    public bool Verifiable { get; internal set; }

    /// <summary>Under co-simulation, the flags the last exit taken keeps exact (others are dead in every successor).</summary>
    internal ulong ExitLive;

    /// <summary>The blocks of the region in order (the entry block first): block j's code starts where
    /// <see cref="CompiledCode"/> is entered with index j.</summary>
    public IReadOnlyList<Block> Members { get; internal set; } = [];

    /// <summary>The compiled region this code belongs to: itself for the region's first block; for another block
    /// of the region, the region whose method it enters at <see cref="Entry"/>.</summary>
    public CompiledBlock Region { get; }

    /// <summary>The index of <see cref="Block"/> in <see cref="Region"/>'s <see cref="Members"/>: what
    /// <see cref="CompiledCode"/> is called with to start at this block.</summary>
    public int Entry { get; }

    /// <summary>Runs of a single-block translation, counted towards recompiling it as a region.</summary>
    internal int Runs;

    internal CompiledBlock(Block block)
    {
        Block = block;
        Instructions = block.Instructions;
        Region = this;
    }

    // Another entry into region's method, for its member block number entry.
    internal CompiledBlock(CompiledBlock region, int entry)
    {
        Block = region.Members[entry];
        Region = region;
        Entry = entry;
        Instructions = region.Instructions;
        Members = region.Members;
        RegionBlocks = region.RegionBlocks;
        Code = region.Code;
        ILSize = region.ILSize;
        InlineCount = region.InlineCount;
        Verifiable = region.Verifiable;
        Runs = int.MinValue;
    }
}
