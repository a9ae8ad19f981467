using Ferry.Cpu;

namespace Ferry.Jit;

/// <summary>The entry point of a compiled block. It runs the block (looping inside while the block
/// branches back to itself), leaves RIP at the next block and every register in
/// <see cref="Processor.State"/>. On entry <paramref name="index"/> says at which block of the region
/// (<see cref="CompiledBlock.Members"/>) to start. Before each instruction that can fault it stores that instruction's
/// index in the block into <paramref name="index"/>, so a fault can be reported at the right RIP.</summary>
public delegate void CompiledCode(Processor p, ref int index);
