namespace Ferry.Host;

/// <summary>A signal that reached the host process, with what its siginfo said: the sender's pid and uid and the
/// sigqueue value (for SIGCHLD the child's pid, uid and status). <paramref name="ForThisThread"/>: sent with tgkill to
/// the host thread that took it from its own queue, a guest thread.</summary>
internal readonly record struct HostSignal(int Signo, int Code, int Pid, uint Uid, ulong Value, bool ForThisThread = false);
