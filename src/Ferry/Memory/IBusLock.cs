namespace Ferry.Memory;

/// <summary>What x86's bus lock gives a locked access that no host atomic instruction covers (an operand across
/// a 16-byte boundary on an ARM64 host): while it is held, no other guest thread of the process runs guest code,
/// so the read-modify-write is atomic against every access of those bytes, aligned atomics and plain stores
/// included. The Linux personality provides it by stopping the other threads at a safe point.</summary>
internal interface IBusLock
{
    /// <summary>Stops every other guest thread of the process at a safe point. False when it cannot be done now
    /// (the caller is no guest thread of this process, or its thread is ending: the process exits or another
    /// thread runs execve); the caller then falls back to a process-wide lock.</summary>
    bool Enter();

    /// <summary>Lets the threads stopped by a successful <see cref="Enter"/> run again.</summary>
    void Exit();
}
