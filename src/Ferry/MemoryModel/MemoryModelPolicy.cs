namespace Ferry.MemoryModel;

/// <summary>Turns the requested mode and what the host offers into the mode Ferry uses.</summary>
public static class MemoryModelPolicy
{
    /// <summary>The mode asked for (the ferry command sets it from --memory-model or FERRY_MEMORY_MODEL).</summary>
    public static MemoryModelKind Requested { get; set; } = MemoryModelKind.Auto;

    /// <summary>The mode in effect for new guest memory (never auto). Until the ferry command has probed the
    /// host it is tso, the one that is correct everywhere (with <see cref="Requested"/> auto, tso deferred
    /// until a second thread or a shared mapping appears).</summary>
    public static MemoryModelKind Effective { get; set; } = MemoryModelKind.Tso;

    /// <summary>Parses a mode name as given to --memory-model or FERRY_MEMORY_MODEL (case-insensitive); null if unknown.</summary>
    public static MemoryModelKind? Parse(string? s) => s?.ToLowerInvariant() switch
    {
        "auto" => MemoryModelKind.Auto,
        "hardware" => MemoryModelKind.Hardware,
        "tso" => MemoryModelKind.Tso,
        "relaxed" => MemoryModelKind.Relaxed,
        _ => null,
    };

    /// <summary>The mode in effect: auto becomes hardware when the host offers TSO, else tso. Hardware that
    /// the host cannot give is an error, reported with <paramref name="error"/>, not a silent downgrade.</summary>
    public static MemoryModelKind Resolve(MemoryModelKind requested, bool hostTso, out string? error)
    {
        error = null;
        switch (requested)
        {
            case MemoryModelKind.Auto:
                return hostTso ? MemoryModelKind.Hardware : MemoryModelKind.Tso;
            case MemoryModelKind.Hardware when !hostTso:
                error = "--memory-model hardware: this kernel does not offer hardware TSO (prctl PR_SET_MEM_MODEL); use tso or auto";
                return MemoryModelKind.Tso;
            default:
                return requested;
        }
    }
}
