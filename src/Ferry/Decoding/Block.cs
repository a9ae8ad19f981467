using Iced.Intel;

namespace Ferry.Decoding;

/// <summary>A straight run of decoded guest instructions ending at a control transfer, with the
/// interpreter handler of each instruction resolved once, at decode time.</summary>
public sealed class Block
{
    public ulong Start { get; }
    /// <summary>The address just past the last instruction.</summary>
    public ulong End { get; }
    public Instruction[] Instructions { get; }
    /// <summary>Function pointers of the handlers, parallel to <see cref="Instructions"/>.</summary>
    public nint[] Handlers { get; }
    /// <summary>Cleared when guest code under the block changes.</summary>
    public bool Valid { get; set; } = true;

    /// <summary>The last successor seen, to skip the cache lookup on the next visit.</summary>
    public Block? Next;

    /// <summary>Executions counted by the JIT tier (negative once the block is known not to compile).</summary>
    public int Heat;

    /// <summary>The block's compiled form, once it is hot. Volatile: the compile worker publishes it while guest
    /// threads run the block.</summary>
    public volatile Jit.CompiledBlock? Compiled;

    public Block(ulong start, ulong end, Instruction[] instructions, nint[] handlers)
    {
        Start = start; End = end; Instructions = instructions; Handlers = handlers;
    }
}
