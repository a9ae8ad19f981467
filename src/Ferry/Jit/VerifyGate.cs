namespace Ferry.Jit;

/// <summary>Under <see cref="JitOptions.Verify"/>, one guest thread of the process at a time runs guest code.
/// Verification runs a block's compiled code, undoes its stores and runs the interpreter over the same state:
/// another thread storing in between would overwrite or be overwritten by the undo, and the two runs would
/// read different memory. Threads hold the gate while in the run loop, leave it for system calls, and hand it
/// over at every block boundary when another thread waits, so a guest spin loop still sees the store it waits
/// for. A ticket lock, so the handover is fair.</summary>
internal static class VerifyGate
{
    private static long _next, _serving;

    public static void Enter()
    {
        long ticket = Interlocked.Increment(ref _next) - 1;
        var spin = new SpinWait();
        while (Volatile.Read(ref _serving) != ticket) spin.SpinOnce(sleep1Threshold: -1);
    }

    public static void Exit() => Interlocked.Increment(ref _serving);

    /// <summary>At a block boundary: lets a waiting thread go first.</summary>
    public static void Pass()
    {
        if (Volatile.Read(ref _next) - Volatile.Read(ref _serving) <= 1) return;
        Exit();
        Enter();
    }
}
