namespace Ferry.Jit;

/// <summary>Raised under <see cref="JitOptions.Verify"/> when a compiled block and the interpreter
/// disagree: names the block, the first differing state and the block's instructions.</summary>
public sealed class JitVerificationException : Exception
{
    /// <summary>The guest address of the block that disagreed.</summary>
    public ulong BlockAddress { get; }

    public JitVerificationException(ulong blockAddress, string message) : base(message) => BlockAddress = blockAddress;
}
