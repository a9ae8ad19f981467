using Ferry.Memory;

namespace Ferry.Cpu;

/// <summary>One guest hardware thread: its architectural state and the memory it runs against.
/// The execution engine runs it until it <see cref="Stop"/>s; the host (the Linux personality) serves
/// the reason and resumes it.</summary>
public sealed class Processor
{
    /// <summary>The registers. A field, so instruction semantics can take refs into it.</summary>
    public CpuState State;

    public GuestMemory Memory { get; }

    /// <summary>Set by an instruction (or another thread) to leave the run loop at the next boundary.</summary>
    public volatile StopKind Stop;

    /// <summary>Set by another thread (a signal, an exit, a stop of the world for fork) so the engine hands
    /// control back at the next block boundary, where the state is consistent; the host clears it.</summary>
    public volatile bool InterruptRequested;

    /// <summary>An unmanaged word that, when non-zero, also makes the engine hand back control at the next
    /// block boundary (a host signal handler can set it; managed state it cannot touch). Null for none.</summary>
    public unsafe int* StopWord;

    /// <summary>An interrupt request or the unmanaged stop word: the engine hands control back at the next block boundary.</summary>
    public unsafe bool InterruptPending => InterruptRequested || StopWord != null && Volatile.Read(ref *StopWord) != 0;

    /// <summary>A stop or a pending interrupt: what compiled loops test at their back-edges.</summary>
    public bool MustLeave => Stop != StopKind.None || InterruptPending;

    /// <summary>Details of the last <see cref="StopKind.Exception"/>.</summary>
    public CpuException? Exception { get; set; }

    /// <summary>The CPUID the guest sees.</summary>
    public CpuidModel Cpuid { get; set; } = CpuidModel.Default;

    public Processor(GuestMemory memory)
    {
        Memory = memory;
        State.Reset();
    }
}
