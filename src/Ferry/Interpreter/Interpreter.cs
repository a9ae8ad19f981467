using Ferry.Cpu;
using Ferry.Decoding;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Runs guest code over pre-decoded blocks until the processor stops (a system call, an
/// exception, or a request from outside).</summary>
public sealed unsafe class Interpreter
{
    /// <summary>The decoded-code cache this interpreter runs from.</summary>
    public CodeCache Code { get; }

    public Interpreter(GuestMemory memory)
    {
        Code = new CodeCache(memory, static i => HandlerTable.ForInstruction(i), HandlerTable.Undefined);
        memory.CodeWritten = Code.InvalidatePage;
        memory.CodeUnmapped = Code.InvalidateRange;
        if (Ferry.Jit.JitOptions.Current is { Enabled: true } o) Jit = new Ferry.Jit.JitEngine(o, Code);
    }

    private const int RecentBits = 12, RecentSize = 1 << RecentBits;
    private readonly Block?[] _recent = new Block?[RecentSize];

    private Ferry.Jit.JitEngine? _jit;

    /// <summary>The JIT tier (src/Ferry/Jit), or null to interpret everything.</summary>
    public Ferry.Jit.JitEngine? Jit
    {
        get => _jit;
        set
        {
            _jit = value;
            if (value != null) value.Lookup = Recent;
        }
    }

    private ref Block? RecentSlot(ulong rip) => ref _recent[(int)((rip ^ (rip >> RecentBits)) & (RecentSize - 1))];

    // For chained compiled code: the block at rip if it is decoded, through the same cache as the run loop.
    private Block? Recent(ulong rip)
    {
        ref Block? slot = ref RecentSlot(rip);
        if (slot is { } r && r.Start == rip && r.Valid) return r;
        var b = Code.Peek(rip);
        if (b != null) slot = b;
        return b;
    }

    /// <summary>Runs <paramref name="p"/> until <see cref="Processor.Stop"/> is set; returns the reason.</summary>
    // Fully optimized from the first call: ReadyToRun code has no patchpoints, so a ReadyToRun Run that loops
    // without returning (no system call) never tiered up, and called Iced's getters out of line (1.4%).
    public StopKind Run(Processor p)
    {
        // The SSE fast paths compute with the host thread's own arithmetic, so it must round as the reset state does.
        Ferry.Host.HostFloatingPoint.EnsureDefault();
        Block? prev = null;
        while (true)
        {
            ulong rip = p.State.Rip;
            Block b;
            if (prev is { Next: { } n } && n.Start == rip && n.Valid) b = n;
            else
            {
                // Returns and indirect branches change successors all the time: a direct-mapped cache in front
                // of the code cache's locked dictionary. A stale entry is caught by Start and Valid.
                ref Block? slot = ref RecentSlot(rip);
                if (slot is { } r && r.Start == rip && r.Valid) b = r;
                else
                {
                    try { b = Code.Get(rip); }
                    catch (MemoryFault f) { return Raise(p, new CpuException(CpuExceptionKind.PageFault, f.Address, f.Protection ? 1 : 0)); }
                    slot = b;
                }
                if (prev != null) prev.Next = b;
            }
            var ins = b.Instructions;
            var h = b.Handlers;
            int k = 0;
            try
            {
                // JIT hook: a hot block runs as compiled code. A fault in it arrives in the catch blocks below
                // with ins[k] the faulting instruction (ins becomes the compiled region's instructions) and the
                // registers stored, as from the loop.
                // Compiled code knows nothing of the trap flag: single-stepping stays in the interpreter. Chained
                // compiled code may run many blocks: b is then the last of them.
                if (_jit != null && (p.State.Rflags & Flags.TF) == 0 && _jit.TryRun(p, ref b, ref ins, ref k))
                {
                    if (p.Stop != StopKind.None)
                    {
                        var s = p.Stop;
                        p.Stop = StopKind.None;
                        return s;
                    }
                    prev = b.Valid ? b : null;
                    if (p.InterruptPending) return StopKind.Interrupted;
                    continue;
                }
                for (; k < ins.Length; k++)
                {
                    ref Instruction i = ref ins[k];
                    // TF as the instruction starts decides whether a single-step trap follows it, so the
                    // POPF that sets TF runs untrapped and the one that clears it still traps.
                    bool step = (p.State.Rflags & Flags.TF) != 0;
                    p.State.Rip = i.NextIP;
                    ((delegate*<Processor, in Instruction, void>)h[k])(p, in i);
                    if (p.Stop != StopKind.None)
                    {
                        // A system call returns with TF restored and the trap comes after the next
                        // instruction, as when Linux returns through IRET.
                        var s = p.Stop;
                        p.Stop = StopKind.None;
                        return s;
                    }
                    if (step) return Raise(p, new CpuException(CpuExceptionKind.Debug, code: SingleStepCause));
                }
            }
            catch (MemoryFault f)
            {
                p.State.Rip = ins[k].IP;
                return Raise(p, new CpuException(CpuExceptionKind.PageFault, f.Address, (f.Protection ? 1 : 0) | (f.IsWrite ? 2 : 0) | (f.PastEndOfFile ? BusFlag : 0)));
            }
            catch (CpuException e)
            {
                if (!e.IsTrap) p.State.Rip = ins[k].IP;
                return Raise(p, e);
            }
            prev = b.Valid ? b : null;
            if (p.InterruptPending) return StopKind.Interrupted;
        }
    }

    /// <summary>DR6.BS: a debug exception's code when it is a single-step trap.</summary>
    public const int SingleStepCause = 0x4000;

    /// <summary>Set in a page fault's code when the page lies past the end of a mapped file (SIGBUS).</summary>
    public const int BusFlag = 0x10;

    private static StopKind Raise(Processor p, CpuException e)
    {
        p.Exception = e;
        return StopKind.Exception;
    }
}
