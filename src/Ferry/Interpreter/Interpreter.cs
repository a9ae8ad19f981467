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
        Code = new CodeCache(memory, static i => HandlerTable.Get(i.Code), HandlerTable.Undefined);
        memory.CodeWritten = Code.InvalidatePage;
        memory.CodeUnmapped = Code.InvalidateRange;
        if (Ferry.Jit.JitOptions.Current is { Enabled: true } o) Jit = new Ferry.Jit.JitEngine(o, Code);
    }

    /// <summary>The JIT tier (src/Ferry/Jit), or null to interpret everything.</summary>
    public Ferry.Jit.JitEngine? Jit { get; set; }

    /// <summary>Runs <paramref name="p"/> until <see cref="Processor.Stop"/> is set; returns the reason.</summary>
    public StopKind Run(Processor p)
    {
        Block? prev = null;
        while (true)
        {
            ulong rip = p.State.Rip;
            Block b;
            if (prev is { Next: { } n } && n.Start == rip && n.Valid) b = n;
            else
            {
                try { b = Code.Get(rip); }
                catch (MemoryFault f) { return Raise(p, new CpuException(CpuExceptionKind.PageFault, f.Address, f.Protection ? 1 : 0)); }
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
                if (Jit != null && Jit.TryRun(p, b, ref ins, ref k))
                {
                    if (p.Stop != StopKind.None)
                    {
                        var s = p.Stop;
                        p.Stop = StopKind.None;
                        return s;
                    }
                    prev = b.Valid ? b : null;
                    continue;
                }
                for (; k < ins.Length; k++)
                {
                    ref Instruction i = ref ins[k];
                    p.State.Rip = i.NextIP;
                    ((delegate*<Processor, in Instruction, void>)h[k])(p, in i);
                    if (p.Stop != StopKind.None)
                    {
                        var s = p.Stop;
                        p.Stop = StopKind.None;
                        return s;
                    }
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
        }
    }

    /// <summary>Set in a page fault's code when the page lies past the end of a mapped file (SIGBUS).</summary>
    public const int BusFlag = 0x10;

    private static StopKind Raise(Processor p, CpuException e)
    {
        p.Exception = e;
        return StopKind.Exception;
    }
}
