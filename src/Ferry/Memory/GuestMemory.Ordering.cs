using Ferry.MemoryModel;

namespace Ferry.Memory;

// Which accesses the memory model orders (DESIGN.md, memory ordering). Only tso orders guest loads and
// stores; auto resolved to tso starts plain and orders from the moment a second thread or a writable shared
// mapping could observe the order, which is one-way: nothing is cheaper to keep than to prove unshared again.
public sealed unsafe partial class GuestMemory
{
    // Not volatile, since every guest access reads it (a volatile read is LDAR on ARM64): it changes only while
    // the process has one guest thread, on that thread, and threads started later see it through their start.
    private bool _ordered;
    private bool _deferred;
    private bool _deferrable;
    private readonly Lock _orderingLock = new();

    /// <summary>The memory model in effect (hardware, tso or relaxed; auto is resolved before it gets here).</summary>
    public MemoryModelKind Model { get; private set; }

    /// <summary>True while guest loads and stores must be ordered accesses (acquire loads, release stores):
    /// the checked accessors and code compiled from now on use ordered accesses.</summary>
    public bool OrderedAccesses => _ordered;

    /// <summary>The fast-path accessors code compiled now must call (see <see cref="MemoryAccessors"/>).</summary>
    public MemoryAccessors Accessors => _ordered ? MemoryAccessors.Ordered : MemoryAccessors.Plain;

    /// <summary>Sets the memory model: <paramref name="effective"/> as <see cref="MemoryModelPolicy.Resolve"/>
    /// gives it; <paramref name="deferred"/> (auto) leaves tso's ordering off until
    /// <see cref="NoteConcurrency"/>.</summary>
    public void SetMemoryModel(MemoryModelKind effective, bool deferred)
    {
        if (effective == MemoryModelKind.Auto) throw new ArgumentException("resolve auto first", nameof(effective));
        lock (_orderingLock)
        {
            Model = effective;
            _deferrable = deferred && effective == MemoryModelKind.Tso;
            _deferred = _deferrable;
            bool was = _ordered;
            _ordered = effective == MemoryModelKind.Tso && !_deferred;
            if (was != _ordered) DiscardCompiledCode();
        }
    }

    /// <summary>A second guest thread is about to start, or a writable shared mapping appeared: from now on
    /// another agent can observe the order of this process's accesses. Call it before that agent runs.</summary>
    public void NoteConcurrency()
    {
        if (!_deferred) return;
        lock (_orderingLock)
        {
            if (!_deferred) return;
            _deferred = false;
            _ordered = true;
            // Code compiled with plain accesses must not run again. The caller is the only guest thread (in a
            // system call), so no compiled code is running; dropping the decoded blocks drops their code too.
            DiscardCompiledCode();
        }
    }

    /// <summary>The address space was emptied and one guest thread is left (execve in place): under auto, no other
    /// agent can observe this process's order any more, so tso's ordering is deferred again until
    /// <see cref="NoteConcurrency"/>, as for a freshly started process.</summary>
    public void NoteUnshared()
    {
        lock (_orderingLock)
        {
            if (!_deferrable || _deferred) return;
            _deferred = true;
            _ordered = false;
            DiscardCompiledCode();
        }
    }

    private void DiscardCompiledCode() => CodeUnmapped?.Invoke(0, 1UL << PageMap.AddressBits);
}
