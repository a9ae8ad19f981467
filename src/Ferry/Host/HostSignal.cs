namespace Ferry.Host;

/// <summary>A signal that reached the host process, with what its siginfo said: the sender's pid and uid and the
/// sigqueue value (for SIGCHLD the child's pid, uid and status). <paramref name="Tid"/>: the host thread that took it
/// (in its handler, or from its own queue). A signal sent with tgkill or tkill (code SI_TKILL) reaches only the thread
/// it was sent to, so for those this is the target.</summary>
internal readonly record struct HostSignal(int Signo, int Code, int Pid, uint Uid, ulong Value, int Tid = 0);
