using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Memory;

namespace Ferry.Tests.Oracle;

/// <summary>Runs instruction bytes under Ferry's interpreter: the code goes on a guest page followed
/// by an unmapped page, and the run ends when execution falls off the end. With JIT options the
/// blocks run through the JIT tier (a threshold of 1 compiles every block before its first run).</summary>
public sealed class SnippetRunner : IDisposable
{
    public GuestMemory Memory { get; } = new();
    private readonly Ferry.Interpreter.Interpreter _interp;
    private readonly ulong _code;
    private const int CodePages = 15;

    /// <summary>The engine the snippets run on.</summary>
    public Ferry.Interpreter.Interpreter Engine => _interp;

    public SnippetRunner(JitOptions? jit = null)
    {
        _interp = new Ferry.Interpreter.Interpreter(Memory);
        _interp.Jit = jit is { Enabled: true } ? new JitEngine(jit, _interp.Code) : null;
        long a = Memory.Map(0, (CodePages + 1) * 4096UL, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        if (a < 0) throw new InvalidOperationException("map failed");
        _code = (ulong)a;
        Memory.Unmap(_code + CodePages * 4096UL, 4096);
    }

    /// <summary>The address just past the code of every snippet (snippets are placed to end here).</summary>
    public ulong CodeEnd => _code + CodePages * 4096UL;

    /// <summary>Lets the guest access host memory at [addr, addr+size) (e.g. <see cref="NativeCpu.Scratch"/>).</summary>
    public void Share(ulong addr, ulong size) =>
        Memory.Pages.Set(addr, size, PageFlags.Mapped | PageFlags.Read | PageFlags.Write);

    /// <summary>Runs <paramref name="code"/> on <paramref name="s"/> until it falls off the end.
    /// Returns the CPU exception if the code raised one before reaching the end.</summary>
    public CpuException? Run(ref CpuState s, ReadOnlySpan<byte> code)
    {
        ulong start = _code + CodePages * 4096UL - (ulong)code.Length;
        Memory.WriteBytes(start, code);
        _interp.Code.InvalidateRange(_code, CodePages * 4096UL);
        // The host CPU is the oracle and has every feature Ferry knows, so the snippet CPU reports them all
        // (TZCNT and LZCNT then behave as themselves, not as BSF/BSR).
        var p = new Processor(Memory) { State = s, Cpuid = new CpuidModel((CpuFeature)~0L) };
        p.State.Rip = start;
        while (true)
        {
            var stop = _interp.Run(p);
            if (stop == StopKind.Exception)
            {
                var e = p.Exception!;
                s = p.State;
                if (e.Kind == CpuExceptionKind.PageFault && p.State.Rip == _code + CodePages * 4096UL) return null;
                return e;
            }
            if (stop == StopKind.Syscall) throw new InvalidOperationException("snippet made a system call");
        }
    }

    public void Dispose() => Memory.Dispose();
}
