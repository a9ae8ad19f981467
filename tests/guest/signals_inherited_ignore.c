// The signals a program is started with ignored (nohup's SIGHUP, a background job's SIGINT and SIGQUIT)
// stay ignored across execve: it lists them, and an ignored SIGHUP it sends itself does nothing.
// Run plainly, nothing is ignored and the SIGHUP ends it (status 129 from a shell).
#include <signal.h>
#include <stdio.h>

int main(void)
{
    for (int s = 1; s < 65; s++)
    {
        if (s == SIGPIPE) continue; // the .NET runtime ignores SIGPIPE itself, so Ferry cannot tell (see HostSignals)
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) printf("ignored: %d\n", s);
    }
    fflush(stdout);
    raise(SIGHUP);
    printf("SIGHUP ignored, still running\n");
    return 0;
}
