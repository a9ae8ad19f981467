namespace Ferry.MemoryModel;

/// <summary>What a new guest thread does about the memory model before it runs guest code.</summary>
public static class GuestThreadOrdering
{
    /// <summary>Exit status when a thread cannot get the hardware TSO the process runs under (as the ferry
    /// command's when the main thread cannot).</summary>
    public const int ExitNoHardwareTso = 125;

    /// <summary>Under <c>--memory-model hardware</c>, switches the calling (new) host thread to TSO. A thread
    /// that cannot would run the guest with the host's weak ordering and no other protection, so the process
    /// stops with a message instead.</summary>
    public static void OnThreadStart()
    {
        if (MemoryModelPolicy.Effective != MemoryModelKind.Hardware) return;
        int e = HostTso.EnableOnThread();
        if (e == 0) return;
        Console.Error.WriteLine($"ferry: --memory-model hardware: prctl(PR_SET_MEM_MODEL, PR_SET_MEM_MODEL_TSO) failed with errno {e} on a new guest thread; use --memory-model tso");
        Environment.Exit(ExitNoHardwareTso);
    }
}
