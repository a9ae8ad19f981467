namespace Ferry.MemoryModel;

/// <summary>How guest memory accesses are ordered on the host (<c>--memory-model</c>, env FERRY_MEMORY_MODEL).</summary>
public enum MemoryModelKind
{
    /// <summary>Hardware TSO where the kernel offers it, else <see cref="Tso"/>; no ordering cost while the
    /// process has one thread and no shared mappings.</summary>
    Auto,
    /// <summary>The CPU's own total store ordering, switched on per thread with prctl(PR_SET_MEM_MODEL).</summary>
    Hardware,
    /// <summary>Guest loads acquire and guest stores release (LDAPR/LDAR, STLR on ARM64).</summary>
    Tso,
    /// <summary>No ordering beyond what the host gives for free: for single-threaded programs only.</summary>
    Relaxed,
}
